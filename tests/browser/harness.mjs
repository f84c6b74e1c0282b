// Shared harness for the browser tests (node --test), the page-weight check and the
// browser benchmark.
//
// - serves a built site (dist/ by default) on a free 127.0.0.1 port, optionally under a
//   sub-path, with scripts/static-server.mjs;
// - launches Debian's Chromium (/usr/bin/chromium) headless through playwright-core;
// - opens a page in a fresh browser context and records every console error, page error,
//   Content-Security-Policy violation, failed request and HTTP status >= 400;
// - `smokeCheck()` loads the app, waits for the results table and returns what it saw plus a
//   list of problems (empty = healthy). It never throws for a broken app: a blank page, a
//   broken wasm module or a page that never becomes ready all come back as problems, so the
//   negative tests can prove the check fails there.
//
// The DOM contract the app follows (see issue 2 / ARCHITECTURE.md):
//   table#results with a <caption>, rows `tbody tr[data-agent="<agent id>"]`, one per agent
//   of the shown period; select#period holds the shown period id; once results are rendered
//   document.documentElement.dataset.ready === "1".
//
// Environment:
//   CHROMIUM_PATH         browser binary (default /usr/bin/chromium)
//   CI                    when set, the message for a missing browser says so; a missing
//                         browser is a failure in any case, never a skip
//   SCORECARD_DIST        the built site to test (default <repo>/dist)
//   SCORECARD_CLI         the native CLI (default <repo>/target/release/scorecard)
//   SCORECARD_SAMPLE_PRESET  the preset the app opens with (default "general")
//   SCORECARD_READY_TIMEOUT_MS  how long to wait for the results (default 30000)

import assert from 'node:assert/strict';
import * as nodeTest from 'node:test';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from '../../scripts/static-server.mjs';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST = path.resolve(process.env.SCORECARD_DIST || path.join(REPO, 'dist'));
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const READY_TIMEOUT_MS = Number(process.env.SCORECARD_READY_TIMEOUT_MS || 30000);

// Flags for headless Chromium as root on a machine whose only network is the package
// registries: no sandbox (root), no GPU, and no background connections to Google's hosts.
// playwright-core adds --headless and a fresh temporary --user-data-dir per launch.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export { startStaticServer };

/** Throws (with how to fix it) unless the browser and playwright-core are present. */
export async function loadPlaywright() {
  if (!fs.existsSync(CHROMIUM)) {
    const how = 'install it with `scripts/setup.sh` (apt-get install chromium chromium-driver) or point CHROMIUM_PATH at a Chromium binary';
    if (process.env.CI) throw new Error(`CI is set and the browser ${CHROMIUM} is missing: browser tests cannot be skipped in CI; ${how}`);
    throw new Error(`the browser ${CHROMIUM} is missing, so the browser tests cannot run; ${how}`);
  }
  try {
    return await import('playwright-core');
  } catch (err) {
    throw new Error(`playwright-core is not installed (run \`npm ci\` or scripts/setup.sh): ${err.message}`);
  }
}

/** Launch headless Chromium (throws when it is missing). */
export async function launchBrowser() {
  const pw = await loadPlaywright();
  return pw.chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

/** Fail early and clearly when there is no build to test. */
export function assertDistBuilt(dist = DIST) {
  const index = path.join(dist, 'index.html');
  if (!fs.existsSync(index)) {
    throw new Error(`${index} does not exist: build the site first (make dist, or trunk build --release --offline)`);
  }
}

// Installed before any page script runs: records CSP violations and, for the benchmark, the
// moment the results become visible (performance.now(), i.e. ms since navigation start).
const INIT_SCRIPT = `(() => {
  window.__scorecardHarness = { csp: [], readyAt: null };
  // Rendered, not display:none / visibility:hidden / opacity:0, and of non-zero size.
  window.__scorecardVisible = (el) => {
    const r = el.getBoundingClientRect();
    const shown = typeof el.checkVisibility === 'function'
      ? el.checkVisibility({ visibilityProperty: true, opacityProperty: true })
      : el.offsetParent !== null;
    return shown && r.width > 0 && r.height > 0;
  };
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__scorecardHarness.csp.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') +
      (e.sourceFile ? ' (' + e.sourceFile + ':' + e.lineNumber + ')' : ''));
  });
  const isReady = () => {
    const t = document.querySelector('table#results');
    return document.documentElement.dataset.ready === '1' && !!t && window.__scorecardVisible(t);
  };
  const check = () => {
    if (window.__scorecardHarness.readyAt === null && isReady()) {
      window.__scorecardHarness.readyAt = performance.now();
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
})();`;

/**
 * Open `url` in a fresh context and record problems. Returns
 * { page, context, problems, requests, close() } where problems is a live array of strings
 * and requests a live array of { url, status, resourceType, bytes }.
 */
export async function openPage(browser, url, { viewport = { width: 1280, height: 900 }, gotoTimeout = 30_000 } = {}) {
  const context = await browser.newContext({ viewport, serviceWorkers: 'block' });
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  await page.addInitScript(INIT_SCRIPT);
  page.on('console', (msg) => {
    const text = msg.text();
    if (msg.type() === 'error') problems.push(`console.error: ${text}`);
    else if (/Content[- ]Security[- ]Policy/i.test(text)) problems.push(`console.${msg.type()} (CSP): ${text}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err && (err.stack || err.message) || err}`));
  page.on('crash', () => problems.push('page crashed'));
  page.on('requestfailed', (req) => {
    if (req.url().startsWith('data:')) return;
    problems.push(`request failed: ${req.method()} ${req.url()} (${req.failure()?.errorText || 'unknown'})`);
  });
  page.on('response', async (res) => {
    const entry = { url: res.url(), status: res.status(), resourceType: res.request().resourceType(), bytes: null };
    requests.push(entry);
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.request().method()} ${res.url()}`);
  });
  let navError = null;
  try {
    const res = await page.goto(url, { waitUntil: 'load', timeout: gotoTimeout });
    if (!res) problems.push(`navigation to ${url} returned no response`);
  } catch (err) {
    navError = err;
    problems.push(`navigation to ${url} failed: ${err.message}`);
  }
  return {
    page,
    context,
    problems,
    requests,
    navError,
    close: () => context.close().catch(() => {}),
  };
}

/** Read what the page shows now (never throws). */
export async function readResults(page) {
  try {
    return await page.evaluate(() => {
      const table = document.querySelector('table#results');
      const sel = document.querySelector('select#period');
      const rows = table ? [...table.querySelectorAll('tbody tr')] : [];
      return {
        ready: document.documentElement.dataset.ready === '1',
        tablePresent: !!table,
        tableVisible: !!table && window.__scorecardVisible(table),
        caption: table && table.caption ? table.caption.textContent.trim() : null,
        period: sel ? sel.value : null,
        rowAgents: rows.map((tr) => tr.getAttribute('data-agent')),
        bodyText: (document.body ? document.body.innerText : '').slice(0, 500),
        csp: (window.__scorecardHarness && window.__scorecardHarness.csp) || [],
        readyAt: window.__scorecardHarness ? window.__scorecardHarness.readyAt : null,
      };
    });
  } catch (err) {
    return { error: err.message, ready: false, tablePresent: false, tableVisible: false, rowAgents: [], csp: [] };
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Load the app at `url` and wait until it is ready with the results table visible.
 * Returns { problems, period, rowAgents, caption, readyMs, requests } and never throws for
 * app failures. `expected`, if given, is a function (period|null) => { period, agents: [ids] }
 * (see expectedFromCli) and adds a problem when the rows don't match its agents.
 */
export async function smokeCheck(browser, url, { timeout = READY_TIMEOUT_MS, expected = null, keepOpen = false } = {}) {
  const opened = await openPage(browser, url);
  const { page, problems } = opened;
  const deadline = Date.now() + timeout;
  let state = await readResults(page);
  let errorSeenAt = null;
  while (!(state.ready && state.tableVisible) && Date.now() < deadline && !opened.navError) {
    // A page error (e.g. the wasm module failing to compile) means it won't get ready:
    // give it a short grace period, then stop waiting.
    if (problems.length && errorSeenAt === null) errorSeenAt = Date.now();
    if (errorSeenAt !== null && Date.now() - errorSeenAt > 3000) break;
    await sleep(100);
    state = await readResults(page);
  }
  // Let late errors (e.g. a panic right after the first render) surface.
  await sleep(300);
  state = await readResults(page);
  const result = {
    problems,
    period: state.period ?? null,
    rowAgents: state.rowAgents || [],
    caption: state.caption ?? null,
    readyMs: state.readyAt,
    requests: opened.requests,
    page: keepOpen ? page : null,
    close: opened.close,
  };
  for (const v of state.csp || []) problems.push(`CSP violation: ${v}`);
  if (state.error) problems.push(`could not read the page: ${state.error}`);
  if (!state.ready) {
    const waited = Date.now() - (deadline - timeout);
    problems.push(`the app did not set document.documentElement.dataset.ready = "1" (waited ${waited} ms; page text: ${JSON.stringify(state.bodyText || '')})`);
  }
  if (!state.tablePresent) problems.push('table#results is missing');
  else if (!state.tableVisible) problems.push('table#results is not visible');
  if (state.tablePresent && !state.caption) problems.push('table#results has no <caption>');
  if (state.tablePresent && (state.rowAgents || []).length === 0) problems.push('table#results has no body rows');
  if ((state.rowAgents || []).some((a) => !a)) problems.push('a results row has no data-agent attribute');
  if (expected && state.tablePresent) {
    const exp = expected(state.period ?? null);
    const mismatch = compareAgents(state.rowAgents || [], exp.agents);
    if (mismatch) problems.push(`rows for period ${exp.period} do not match the CLI's results: ${mismatch}`);
    result.expectedPeriod = exp.period;
    result.expectedAgents = exp.agents;
  }
  if (!keepOpen) await opened.close();
  return result;
}

/** null when the two lists hold the same agent ids (order ignored), else a description. */
export function compareAgents(actual, expected) {
  const a = [...actual].sort();
  const e = [...expected].sort();
  if (a.length === e.length && a.every((x, i) => x === e[i])) return null;
  const missing = e.filter((x) => !a.includes(x));
  const extra = a.filter((x) => !e.includes(x));
  return `page shows ${a.length} row(s), CLI has ${e.length} agent(s)` +
    (missing.length ? `; missing: ${missing.join(', ')}` : '') +
    (extra.length ? `; unexpected: ${extra.join(', ')}` : '') +
    (!missing.length && !extra.length ? '; duplicate rows' : '');
}

/** Path of the release CLI; builds it once if it is missing. */
export function cliPath() {
  const cli = process.env.SCORECARD_CLI || path.join(REPO, 'target', 'release', 'scorecard');
  if (!fs.existsSync(cli)) {
    execFileSync('cargo', ['build', '--release', '--quiet', '--bin', 'scorecard'], { cwd: REPO, stdio: 'inherit' });
  }
  return cli;
}

/**
 * The sample results per the native CLI: `scorecard preset <name>` gives the sample workbook,
 * `scorecard score <file>` its results. Returns a function (shownPeriod|null) => { period,
 * agents } for the period the page shows, or the first period when the page shows none.
 */
export function expectedFromCli({ preset = process.env.SCORECARD_SAMPLE_PRESET || 'general' } = {}) {
  const cli = cliPath();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scorecard-expected-'));
  try {
    const workbook = execFileSync(cli, ['preset', preset], { cwd: REPO, maxBuffer: 64 << 20 });
    const file = path.join(dir, `${preset}.json`);
    fs.writeFileSync(file, workbook);
    const out = execFileSync(cli, ['score', file], { cwd: REPO, maxBuffer: 256 << 20 }).toString();
    const results = JSON.parse(out);
    if (!results || !Array.isArray(results.periods) || results.periods.length === 0) {
      throw new Error(`\`scorecard score\` printed no periods: ${out.slice(0, 300)}`);
    }
    return (shown) => {
      const p = (shown && results.periods.find((x) => x.period === shown)) || (shown ? null : results.periods[0]);
      if (!p) return { period: shown, agents: [`<the CLI has no period ${shown}>`] };
      return { period: p.period, agents: p.agents.map((a) => a.agent) };
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Copy dist/ into a temp folder and let `mutate(dir)` break it. Returns the folder. */
export async function copyDist(mutate, { dist = DIST } = {}) {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'scorecard-dist-'));
  await fsp.cp(dist, dir, { recursive: true });
  if (mutate) await mutate(dir);
  return dir;
}

/** All files below `dir` (relative paths). */
export async function listFiles(dir) {
  const out = [];
  for (const e of await fsp.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out.push(path.relative(dir, path.join(e.parentPath ?? e.path, e.name)));
  }
  return out.sort();
}

// ------------------------------------------------------------------ shared by the test files

/**
 * Registers before/after hooks (node:test) that launch the browser and serve `dist` (under
 * `prefix`) for the file's tests. Returns an object whose `browser` and `server` are set once
 * the hook has run.
 */
export function servedDist({ root = DIST, prefix = '/' } = {}) {
  const env = { browser: null, server: null };
  nodeTest.before(async () => {
    assertDistBuilt(root);
    env.browser = await launchBrowser();
    env.server = await startStaticServer({ root, prefix });
  });
  nodeTest.after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

/**
 * Waits until the page is ready and its results table has rows — in the full app: the
 * first load shows the results-first page (`data-app="viewer"`, src/ui/viewer.rs); a
 * person's first reach for an editor loads the full app, and so does this, the way a
 * person would (a click on the Data tab). `{ viewer: true }` stays on the first page.
 */
export async function waitReady(page, { viewer = false } = {}) {
  await page.waitForFunction(() => document.documentElement.dataset.ready === '1' && document.querySelectorAll('#results tbody tr').length > 0, null, { timeout: READY_TIMEOUT_MS });
  if (viewer) return;
  if (await page.evaluate(() => document.documentElement.dataset.app === 'viewer')) {
    await page.click('#tab-data');
  }
  await page.waitForFunction(() => document.documentElement.dataset.app === 'full' && document.querySelectorAll('#results tbody tr').length > 0, null, { timeout: READY_TIMEOUT_MS });
}

/** Opens `url` in a fresh context and waits until the full app shows results (see waitReady). */
export async function openReady(browser, url, options) {
  const opened = await openPage(browser, url, options);
  await waitReady(opened.page, options);
  return opened;
}

/** Fails with the list when the page logged a console error, page error, CSP violation or failed request. */
export function assertClean(problems) {
  assert.deepEqual(problems, [], `the page reported problems:\n  ${problems.join('\n  ')}`);
}

/** A built-in workbook as an object, from the CLI. */
export function cliPreset(name) {
  return JSON.parse(execFileSync(cliPath(), ['preset', name], { maxBuffer: 64 << 20 }).toString());
}

/** The CLI's results JSON for a workbook object. */
export function cliScore(workbook) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scorecard-cli-'));
  try {
    const file = path.join(dir, 'wb.json');
    fs.writeFileSync(file, JSON.stringify(workbook));
    return JSON.parse(execFileSync(cliPath(), ['score', file], { maxBuffer: 256 << 20 }).toString());
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
