// `make serve` shows the app: run the same `trunk serve --offline --release` the Makefile
// runs (on a free port, into a temp dist folder so dist/ is left alone) and smoke-check it
// in the browser. The release build is cached by then, so this costs wasm-bindgen +
// wasm-opt, a few seconds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { REPO, launchBrowser, smokeCheck } from './harness.mjs';

const BUILD_TIMEOUT_MS = Number(process.env.SCORECARD_SERVE_TIMEOUT_MS || 15 * 60_000);
let browser;
let trunk;
let distDir;
let output = '';

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url, deadline) {
  while (Date.now() < deadline) {
    if (trunk.exitCode !== null) throw new Error(`trunk serve exited with ${trunk.exitCode}:\n${output.slice(-3000)}`);
    try {
      const res = await fetch(url);
      if (res.ok && (await res.text()).includes('wasm')) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`trunk serve did not serve ${url} within ${BUILD_TIMEOUT_MS} ms:\n${output.slice(-3000)}`);
}

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (trunk && trunk.exitCode === null) {
    try { process.kill(-trunk.pid, 'SIGTERM'); } catch { /* already gone */ }
  }
  if (distDir) fs.rmSync(distDir, { recursive: true, force: true });
});

test('trunk serve (as make serve runs it) serves the app cleanly', { timeout: BUILD_TIMEOUT_MS + 120_000 }, async () => {
  const port = await freePort();
  distDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scorecard-serve-'));
  const bin = path.join(REPO, 'node_modules', '.bin');
  const cargoBin = path.join(process.env.CARGO_INSTALL_ROOT || process.env.CARGO_HOME || path.join(os.homedir(), '.cargo'), 'bin');
  trunk = spawn('trunk', ['serve', '--offline', '--release', '--address', '127.0.0.1', '--port', String(port), '--dist', distDir], {
    cwd: REPO,
    env: { ...process.env, PATH: `${bin}:${cargoBin}:${process.env.PATH}`, NO_COLOR: 'true' },
    detached: true, // own process group, so cargo/wasm-opt children are stopped with it
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  trunk.stdout.on('data', (d) => { output += d; });
  trunk.stderr.on('data', (d) => { output += d; });
  const url = `http://127.0.0.1:${port}/`;
  await waitForHttp(url, Date.now() + BUILD_TIMEOUT_MS);
  const r = await smokeCheck(browser, url);
  assert.deepEqual(r.problems, [], `problems on ${url}:\n  ${r.problems.join('\n  ')}`);
});
