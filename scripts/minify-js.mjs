#!/usr/bin/env node
// Minifies the JavaScript the first page load downloads — wasm-bindgen's glue for the
// first-load module (scorecard-web-<hash>.js) and its snippets (snippets/**.js) — with
// terser (npm, pinned in package.json), and rewrites their sub-resource integrity hashes
// in index.html to match. Trunk's own minify leaves wasm-bindgen's output as written;
// this takes the glue from 39 KB to about half (≈ −2.5 KB gzip of the first load).
// Release builds only (scripts/post-build.sh); the modules loaded later are left as
// written. Usage: node scripts/minify-js.mjs STAGING_DIR
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { minify } from 'terser';

const dir = process.argv[2];
if (!dir || !fs.existsSync(path.join(dir, 'index.html'))) {
  console.error('usage: node scripts/minify-js.mjs STAGING_DIR (with index.html)');
  process.exit(2);
}
const indexFile = path.join(dir, 'index.html');
let html = fs.readFileSync(indexFile, 'utf8');

// The first-load scripts: those index.html names (modulepreload / script src), which are
// the glue and the snippets it imports.
const files = new Set();
for (const m of html.matchAll(/\bhref=("?)\.?\/?([\w./-]+\.js)\1/g)) files.add(m[2]);
if (files.size === 0) {
  console.error('minify-js: index.html names no .js file');
  process.exit(1);
}
const sri = (text) => 'sha384-' + crypto.createHash('sha384').update(text).digest('base64');
let before = 0;
let after = 0;
for (const rel of files) {
  const file = path.join(dir, rel);
  const code = fs.readFileSync(file, 'utf8');
  const out = await minify(code, { module: true, ecma: 2020, compress: { passes: 2 }, mangle: true, format: { comments: false } });
  if (typeof out.code !== 'string') throw new Error(`terser gave nothing for ${rel}`);
  fs.writeFileSync(file, out.code);
  const old = sri(code);
  if (html.includes(old)) html = html.split(old).join(sri(out.code));
  before += code.length;
  after += out.code.length;
}
fs.writeFileSync(indexFile, html);
console.log(`minify-js: ${files.size} files, ${(before / 1024).toFixed(1)} → ${(after / 1024).toFixed(1)} KB`);
