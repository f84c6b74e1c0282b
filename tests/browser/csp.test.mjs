// The Content-Security-Policy of the built page (no browser needed): present, strict (no
// 'unsafe-eval', no 'unsafe-inline'), and allowing each inline script Trunk injected by its
// sha256 (added by the post_build hook scripts/csp-hash.mjs). The smoke test checks in the
// browser that nothing is blocked; broken.test.mjs that a missing hash is caught.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DIST, assertDistBuilt } from './harness.mjs';
import { inlineHashes, applyCspHashes } from '../../scripts/csp-hash.mjs';

function policyOf(html) {
  const metas = [...html.matchAll(/<meta\b[^>]*http-equiv\s*=\s*["']?Content-Security-Policy[^>]*>/gi)];
  assert.equal(metas.length, 1, 'expected exactly one CSP <meta>');
  const m = metas[0][0].match(/content\s*=\s*"([^"]*)"/i);
  assert.ok(m, 'the CSP <meta> has no content');
  const directives = new Map();
  for (const d of m[1].replace(/&amp;/g, '&').split(';').map((x) => x.trim()).filter(Boolean)) {
    const [name, ...sources] = d.split(/\s+/);
    directives.set(name.toLowerCase(), sources);
  }
  return { index: metas[0].index, directives };
}

test('dist/index.html has a strict CSP that allows its inline scripts by hash', () => {
  assertDistBuilt();
  const html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
  const { index, directives } = policyOf(html);
  const firstScript = html.search(/<script\b/i);
  assert.ok(firstScript < 0 || index < firstScript, 'the CSP <meta> must come before any <script>');
  const scriptSrc = directives.get('script-src');
  assert.ok(scriptSrc, 'no script-src');
  assert.ok(!scriptSrc.includes("'unsafe-eval'") && !scriptSrc.includes("'unsafe-inline'"), `script-src too loose: ${scriptSrc.join(' ')}`);
  assert.deepEqual(scriptSrc.slice(0, 2), ["'self'", "'wasm-unsafe-eval'"]);
  assert.deepEqual(directives.get('default-src'), ["'self'"]);
  assert.deepEqual(directives.get('object-src'), ["'none'"]);
  assert.deepEqual(directives.get('base-uri'), ["'self'"]);
  assert.ok(!(directives.get('style-src') || []).includes("'unsafe-inline'"), 'style-src must not allow unsafe-inline');
  const { scripts } = inlineHashes(html);
  assert.ok(scripts.length >= 1, 'expected the inline loader script Trunk injects');
  for (const h of scripts) assert.ok(scriptSrc.includes(h), `inline script ${h} is not allowed by script-src`);
  const stale = scriptSrc.filter((s) => s.startsWith("'sha256-") && !scripts.includes(s));
  assert.deepEqual(stale, [], 'script-src allows hashes of scripts that are not in the page');
});

test('csp-hash is idempotent, replaces stale hashes and refuses a loose policy', () => {
  const page = (csp, body) => `<html><head><meta http-equiv="Content-Security-Policy" content="${csp}"><script type="module">${body}</script><script src="x.js"></script></head><body></body></html>`;
  const base = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";
  const once = applyCspHashes(page(base, 'import a from "./a.js";'));
  assert.equal(once.hashes.scripts.length, 1);
  assert.match(once.policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'; style-src 'self'$/);
  assert.equal(applyCspHashes(once.html).html, once.html, 'a second run changes nothing');
  const changed = applyCspHashes(once.html.replace('./a.js', './b.js'));
  assert.equal((changed.policy.match(/sha256-/g) || []).length, 1, 'the stale hash is replaced, not kept');
  assert.notEqual(changed.policy, once.policy);
  assert.throws(() => applyCspHashes('<html><head><script>1</script></head></html>'), /no <meta/);
  assert.throws(() => applyCspHashes(page("script-src 'self' 'unsafe-eval'", '1')), /unsafe-eval/);
});
