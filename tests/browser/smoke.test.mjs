// Smoke test: the release build in dist/, served on 127.0.0.1, loads in headless Chromium
// with no console error, no page error, no CSP violation and no failed request, and shows
// the sample results table with exactly one row per agent of the shown period, as the
// native CLI (`scorecard preset general` | `scorecard score`) computes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { servedDist, smokeCheck, expectedFromCli } from './harness.mjs';

const env = servedDist();

test('the app loads cleanly and shows one results row per sample agent', async () => {
  const expected = expectedFromCli();
  const r = await smokeCheck(env.browser, env.server.url, { expected });
  assert.deepEqual(r.problems, [], `problems while loading ${env.server.url}:\n  ${r.problems.join('\n  ')}`);
  assert.ok(r.rowAgents.length > 0, 'no result rows');
  console.log(`# smoke: period ${r.expectedPeriod}, ${r.rowAgents.length} rows, caption ${JSON.stringify(r.caption)}, results visible after ${r.readyMs?.toFixed(0)} ms`);
});

test('every request of the first load was answered by the static server without error', async () => {
  const r = await smokeCheck(env.browser, env.server.url);
  assert.deepEqual(r.problems, []);
  const failed = env.server.requests.filter((q) => q.status >= 400);
  assert.deepEqual(failed, [], 'the server answered some requests with an error');
  const kinds = new Set(r.requests.map((q) => q.url.split('?')[0].split('.').pop()));
  for (const ext of ['wasm', 'js']) assert.ok(kinds.has(ext), `the page did not load any .${ext} file (loaded: ${[...kinds].join(', ')})`);
});
