// dist/ must work from any sub-folder of a static host (relative asset paths): serve it
// under /deep/sub/path/ and check that the app loads there cleanly with results visible.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DIST, assertDistBuilt, launchBrowser, startStaticServer, smokeCheck } from './harness.mjs';

let browser;
let server;

before(async () => {
  assertDistBuilt();
  browser = await launchBrowser();
  server = await startStaticServer({ root: DIST, prefix: '/deep/sub/path/' });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('dist/ served under /deep/sub/path/ loads with results visible', async () => {
  const r = await smokeCheck(browser, server.url);
  assert.deepEqual(r.problems, [], `problems under ${server.url}:\n  ${r.problems.join('\n  ')}`);
  const outside = r.requests.filter((q) => q.url.startsWith(server.origin) && !q.url.startsWith(server.url));
  assert.deepEqual(outside.map((q) => q.url), [], 'the page requested files outside its sub-folder');
});

test('dist/ served under /deep/sub/path (no trailing slash) redirects and loads', async () => {
  const r = await smokeCheck(browser, server.url.replace(/\/$/, ''));
  assert.deepEqual(r.problems, [], r.problems.join('\n'));
});
