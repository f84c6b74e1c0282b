#!/usr/bin/env node
// A small static file server for the built site (dist/), used by the browser tests, the
// page-weight check and the browser benchmark. No dependencies: node:http only.
//
//   import { startStaticServer } from './static-server.mjs';
//   const srv = await startStaticServer({ root: 'dist', prefix: '/deep/sub/path/' });
//   srv.url   // e.g. http://127.0.0.1:41234/deep/sub/path/
//   await srv.close();
//
// As a command (handy to look at dist/ by hand):
//   node scripts/static-server.mjs [--root dist] [--prefix /] [--port 0] [--host 127.0.0.1]
//
// It binds to 127.0.0.1 only, serves files below `root` under the URL path `prefix`, answers
// 404 for anything else (so a wrong asset path in the build shows up as a failed request),
// serves .wasm as application/wasm (needed for WebAssembly.instantiateStreaming) and sends
// `Cache-Control: no-store` so every load is a cold one. It deliberately sets no CSP header:
// a plain static host doesn't either, so the page's own <meta> CSP is what gets tested.

import http from 'node:http';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

function normalizePrefix(prefix) {
  let p = prefix || '/';
  if (!p.startsWith('/')) p = '/' + p;
  if (!p.endsWith('/')) p += '/';
  return p;
}

/**
 * Start serving `root` under `prefix` on host:port (port 0 = a free port).
 * Resolves to { url, origin, port, prefix, root, requests, close() }.
 * `requests` records every request as { method, path, status, bytes }.
 */
export async function startStaticServer({ root, prefix = '/', host = '127.0.0.1', port = 0, log = false } = {}) {
  if (!root) throw new Error('startStaticServer: root is required');
  const rootAbs = path.resolve(root);
  const st = await fsp.stat(rootAbs).catch(() => null);
  if (!st || !st.isDirectory()) throw new Error(`startStaticServer: ${rootAbs} is not a directory`);
  const base = normalizePrefix(prefix);
  const requests = [];

  const server = http.createServer(async (req, res) => {
    const record = { method: req.method, path: req.url, status: 0, bytes: 0 };
    requests.push(record);
    const send = (status, body, headers = {}) => {
      record.status = status;
      record.bytes = body ? body.length : 0;
      res.writeHead(status, { 'Cache-Control': 'no-store', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
      if (log) console.log(`${status} ${req.method} ${req.url}`);
    };
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return send(405, Buffer.from('method not allowed\n'), { Allow: 'GET, HEAD' });
      }
      const url = new URL(req.url, 'http://localhost');
      let pathname;
      try {
        pathname = decodeURIComponent(url.pathname);
      } catch {
        return send(400, Buffer.from('bad request\n'));
      }
      // The prefix itself without its trailing slash: redirect, as static hosts do, so that
      // relative asset URLs resolve inside the sub-folder.
      if (base !== '/' && pathname === base.slice(0, -1)) {
        record.status = 301;
        res.writeHead(301, { Location: base + url.search, 'Cache-Control': 'no-store' });
        return res.end();
      }
      if (!pathname.startsWith(base)) return send(404, Buffer.from('not found\n'));
      let rel = pathname.slice(base.length);
      if (rel === '' || rel.endsWith('/')) rel += 'index.html';
      const file = path.resolve(rootAbs, rel);
      if (file !== rootAbs && !file.startsWith(rootAbs + path.sep)) return send(403, Buffer.from('forbidden\n'));
      let fst = await fsp.stat(file).catch(() => null);
      let target = file;
      if (fst && fst.isDirectory()) {
        target = path.join(file, 'index.html');
        fst = await fsp.stat(target).catch(() => null);
      }
      if (!fst || !fst.isFile()) return send(404, Buffer.from('not found\n'));
      const body = await fsp.readFile(target);
      const type = MIME[path.extname(target).toLowerCase()] || 'application/octet-stream';
      return send(200, body, { 'Content-Type': type, 'Content-Length': String(body.length), 'X-Content-Type-Options': 'nosniff' });
    } catch (err) {
      return send(500, Buffer.from(String(err && err.stack || err)));
    }
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
  const actualPort = server.address().port;
  const origin = `http://${host}:${actualPort}`;
  const sockets = new Set();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  return {
    url: origin + base,
    origin,
    port: actualPort,
    prefix: base,
    root: rootAbs,
    requests,
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

// Command-line use.
if (process.argv[1] && fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url))) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
  };
  const srv = await startStaticServer({
    root: opt('root', 'dist'),
    prefix: opt('prefix', '/'),
    host: opt('host', '127.0.0.1'),
    port: Number(opt('port', '8080')),
    log: true,
  });
  console.log(`Serving ${srv.root} at ${srv.url}  (Ctrl-C to stop)`);
}
