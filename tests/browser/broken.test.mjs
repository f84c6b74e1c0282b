// The smoke check must fail when the app is broken. Each case copies dist/ to a temp
// folder, breaks it, serves it and asserts that the same smokeCheck() the smoke test uses
// reports problems.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { assertDistBuilt, launchBrowser, startStaticServer, smokeCheck, copyDist, listFiles, compareAgents } from './harness.mjs';

const TIMEOUT = 10_000; // a broken page never gets ready: don't wait the full default
let browser;
const cleanup = [];

before(async () => {
  assertDistBuilt();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  for (const fn of cleanup.reverse()) await fn();
});

async function checkBroken(mutate) {
  const dir = await copyDist(mutate);
  const server = await startStaticServer({ root: dir });
  cleanup.push(() => server.close(), () => fsp.rm(dir, { recursive: true, force: true }));
  const r = await smokeCheck(browser, server.url, { timeout: TIMEOUT });
  console.log(`# smoke check on the broken copy reported ${r.problems.length} problem(s):\n#   ${r.problems.map((p) => p.split('\n')[0].slice(0, 200)).join('\n#   ')}`);
  return r;
}

async function wasmFiles(dir) {
  const files = (await listFiles(dir)).filter((f) => f.endsWith('.wasm'));
  assert.ok(files.length > 0, 'dist/ has no .wasm file to break');
  return files.map((f) => path.join(dir, f));
}

test('fails when the .wasm module is truncated', async () => {
  const r = await checkBroken(async (dir) => {
    for (const f of await wasmFiles(dir)) {
      const buf = await fsp.readFile(f);
      await fsp.writeFile(f, buf.subarray(0, Math.floor(buf.length / 2)));
    }
  });
  assert.ok(r.problems.length > 0, 'the smoke check passed on a truncated wasm module');
  assert.ok(r.problems.some((p) => /page error|console\.error/.test(p)), `expected a page or console error, got:\n${r.problems.join('\n')}`);
});

test('fails when the .wasm module is missing (404)', async () => {
  const r = await checkBroken(async (dir) => {
    for (const f of await wasmFiles(dir)) await fsp.rm(f);
  });
  assert.ok(r.problems.some((p) => /HTTP 404/.test(p)), `expected an HTTP 404 problem, got:\n${r.problems.join('\n')}`);
});

test('fails on a blank page (body emptied, scripts removed)', async () => {
  const r = await checkBroken(async (dir) => {
    const index = path.join(dir, 'index.html');
    let html = await fsp.readFile(index, 'utf8');
    html = html.replace(/<script\b[\s\S]*?<\/script>/gi, '').replace(/(<body\b[^>]*>)[\s\S]*(<\/body>)/i, '$1$2');
    await fsp.writeFile(index, html);
  });
  assert.ok(r.problems.some((p) => /did not set document\.documentElement\.dataset\.ready/.test(p)), r.problems.join('\n'));
  assert.ok(r.problems.includes('table#results is missing'), r.problems.join('\n'));
});

test('fails on an empty index.html (0 bytes)', async () => {
  const r = await checkBroken(async (dir) => {
    await fsp.writeFile(path.join(dir, 'index.html'), '');
  });
  assert.ok(r.problems.includes('table#results is missing'), r.problems.join('\n'));
});

test('fails when the CSP hash of the inline loader script is missing', async () => {
  const r = await checkBroken(async (dir) => {
    const index = path.join(dir, 'index.html');
    const html = await fsp.readFile(index, 'utf8');
    const stripped = html.replace(/ 'sha256-[A-Za-z0-9+/=]+'/g, '');
    assert.notEqual(stripped, html, 'dist/index.html has no sha256 source in its CSP');
    await fsp.writeFile(index, stripped);
  });
  assert.ok(r.problems.some((p) => /CSP|Content Security Policy/.test(p)), `expected a CSP violation, got:\n${r.problems.join('\n')}`);
});

test('fails when the results table is rendered but hidden', async () => {
  const r = await checkBroken(async (dir) => {
    const css = (await listFiles(dir)).filter((f) => f.endsWith('.css'));
    assert.ok(css.length > 0, 'dist/ has no stylesheet to change');
    for (const f of css) await fsp.appendFile(path.join(dir, f), '\ntable#results { display: none !important; }\n');
    // The changed stylesheet no longer matches its sub-resource integrity hash: drop it.
    const index = path.join(dir, 'index.html');
    const html = await fsp.readFile(index, 'utf8');
    // (Trunk minifies index.html on release: attribute values may be unquoted.)
    const unpinned = html.replace(/<link\b[^>]*>/g, (tag) => (/stylesheet/.test(tag) ? tag.replace(/\s+integrity=("[^"]*"|[^\s>]+)/, '') : tag));
    assert.notEqual(unpinned, html, 'the stylesheet link had an integrity hash');
    await fsp.writeFile(index, unpinned);
  });
  assert.ok(r.problems.includes('table#results is not visible'), r.problems.join('\n'));
});

test('the row comparison catches missing, extra and duplicate rows', () => {
  assert.equal(compareAgents(['a1', 'a2'], ['a2', 'a1']), null);
  assert.match(compareAgents(['a1'], ['a1', 'a2']), /missing: a2/);
  assert.match(compareAgents(['a1', 'a2', 'a3'], ['a1', 'a2']), /unexpected: a3/);
  assert.match(compareAgents(['a1', 'a1'], ['a1', 'a2']), /missing: a2/);
  assert.match(compareAgents(['a1', 'a1', 'a2'], ['a1', 'a2']), /duplicate/);
});
