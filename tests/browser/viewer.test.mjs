// The results-first page (src/ui/viewer.rs): the first load shows the results without
// the editors' module; the first reach for an editor loads the full app (src/ui/handoff.rs),
// which takes the page over with the same view and repeats that first use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { servedDist, openReady, waitReady, assertClean, expectedFromCli } from './harness.mjs';

const env = servedDist();
const open = (pathAndQuery = '?lang=en') => openReady(env.browser, env.server.url + pathAndQuery, { viewer: true });
const appRequests = () => env.server.requests.filter((q) => /\/(app|extras)-[0-9a-f]+\//.test(q.path));
const rows = (page) => page.$$eval('#results tbody tr', (trs) => trs.map((tr) => tr.dataset.agent));
const isApp = (page, kind) => page.waitForFunction((k) => document.documentElement.dataset.app === k, kind, { timeout: 30_000 });

test('the first load shows the results and the editors’ look without loading the editors', async () => {
  env.server.requests.length = 0;
  const { page, problems, close } = await open('');
  try {
    assert.equal(await page.evaluate(() => document.documentElement.dataset.app), 'viewer');
    const expected = expectedFromCli()(await page.inputValue('#period'));
    assert.deepEqual(await rows(page), expected.agents, 'rank order as the CLI computes it');
    // The stand-ins: the grid with the figures, the buttons (undo disabled as in a fresh app).
    assert.ok((await page.locator('#grid input.cell').count()) > 0, 'the grid’s cells are shown');
    assert.notEqual(await page.inputValue('#g-0-0'), '', 'with their figures');
    assert.equal(await page.locator('#undo').isDisabled(), true);
    await page.waitForTimeout(300);
    assert.deepEqual(appRequests().map((q) => q.path), [], 'nothing of the full app or the extras was requested');
    assertClean(problems);
  } finally {
    await close();
  }
});

test('the first page shows no bare interface key, in either language (its build leaves the editing strings out)', async () => {
  // Every key of the translation tables (src/i18n.rs); a key shown as such means its
  // string is missing from the first page's table.
  const source = readFileSync(new URL('../../src/i18n.rs', import.meta.url), 'utf8');
  const keys = new Set([...source.matchAll(/^\s*\("([a-z0-9_]+(?:\.[a-z0-9_]+)+)",/gm)].map((m) => m[1]));
  assert.ok(keys.size > 300, `the tables were read (${keys.size} keys)`);
  for (const lang of ['en', 'zh-CN']) {
    const { page, problems, close } = await open(`?lang=${lang}`);
    try {
      const agent = (await rows(page))[0];
      await page.click(`#results tr[data-agent="${agent}"] button.agent-link`);
      await page.locator('#explain .explain-box').waitFor();
      const shown = await page.evaluate(() => {
        const parts = [document.body.innerText];
        for (const el of document.querySelectorAll('*')) {
          for (const a of ['title', 'aria-label', 'placeholder', 'data-loading-text']) {
            if (el.hasAttribute(a)) parts.push(el.getAttribute(a));
          }
        }
        return parts.join('\n');
      });
      const bare = [...shown.matchAll(/[a-z0-9_]+(?:\.[a-z0-9_]+)+/g)].map((m) => m[0]).filter((w) => keys.has(w));
      assert.deepEqual(bare, [], `${lang}: keys shown instead of their text`);
      assert.equal(await page.evaluate(() => document.documentElement.dataset.app), 'viewer');
      assertClean(problems);
    } finally {
      await close();
    }
  }
});

test('a click on a grid cell loads the full app, which focuses that cell; typing there rescores', async () => {
  const { page, problems, close } = await open();
  try {
    const cell = await page.evaluate(() => {
      const el = document.querySelector('#g-1-0');
      return { agent: el.closest('tr').dataset.agent, value: el.value };
    });
    await page.click('#g-1-0');
    await isApp(page, 'full');
    await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'g-1-0', null, { timeout: 10_000 });
    assert.equal(await page.evaluate(() => document.activeElement.dataset.agent), cell.agent, 'the same agent’s cell');
    assert.equal(await page.inputValue('#g-1-0'), cell.value);
    assert.ok(appRequests().length > 0, 'the full app was loaded');
    const before = await page.textContent(`#results tr[data-agent="${cell.agent}"] td.total`);
    await page.keyboard.type('1');
    await page.waitForFunction(
      ([a, b]) => document.querySelector(`#results tr[data-agent="${a}"] td.total`)?.textContent !== b,
      [cell.agent, before],
      { timeout: 10_000 },
    );
    assertClean(problems);
  } finally {
    await close();
  }
});

test('the view is handed over: period, language, sort, open explanation, and the tab that was clicked', async () => {
  const { page, problems, close } = await open('?lang=zh-CN');
  try {
    await page.selectOption('#period', '2026-09');
    await page.waitForFunction(() => document.querySelector('#results caption').textContent.includes('2026'));
    await page.selectOption('#lang', 'en');
    await page.waitForFunction(() => document.querySelector('h1').textContent === 'KPI Scorecard');
    await page.click('#results th[data-col="total"] button.sort');
    await page.click('#results th[data-col="total"] button.sort');
    const order = await rows(page);
    const agent = order[2];
    await page.click(`#results tr[data-agent="${agent}"] button.agent-link`);
    await page.locator('#explain .explain-box').waitFor();
    const explained = await page.textContent('#explain');
    const sortState = await page.getAttribute('#results th[data-col="total"]', 'aria-sort');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.app), 'viewer', 'all of that without the full app');

    await page.click('#tab-scheme');
    await isApp(page, 'full');
    await page.waitForFunction(() => document.querySelector('#tab-scheme')?.getAttribute('aria-selected') === 'true', null, { timeout: 10_000 });
    assert.equal(await page.inputValue('#period'), '2026-09');
    assert.equal(await page.textContent('h1'), 'KPI Scorecard');
    assert.equal(await page.getAttribute('#results th[data-col="total"]', 'aria-sort'), sortState);
    assert.deepEqual(await rows(page), order);
    assert.equal(await page.textContent('#explain'), explained);
    assert.equal(await page.isVisible('#panel-scheme'), true, 'the clicked tab is shown');
    assertClean(problems);
  } finally {
    await close();
  }
});

test('after an edit and a reload the first page shows the saved workbook’s results', async () => {
  const { page, problems, close } = await open();
  try {
    await page.click('#tab-data');
    await isApp(page, 'full');
    await page.fill('#g-0-0', '1');
    await page.waitForTimeout(700); // the autosave's debounce
    const after = await rows(page);
    env.server.requests.length = 0;
    await page.reload({ waitUntil: 'load' });
    await waitReady(page, { viewer: true });
    assert.equal(await page.evaluate(() => document.documentElement.dataset.app), 'viewer');
    assert.equal(await page.inputValue('#g-0-0'), '1', 'the saved figure');
    assert.deepEqual(await rows(page), after, 'the saved results');
    assert.deepEqual(appRequests(), [], 'without loading the full app');
    assertClean(problems);
  } finally {
    await close();
  }
});

test('when the full app cannot be loaded the page says so, and the next click tries again', async () => {
  const { page, context, problems, close } = await open();
  try {
    await context.route(/\/app-[0-9a-f]+\//, (route) => route.abort());
    await page.click('#add-period');
    await page.locator('.app > .notice.error').waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await page.textContent('.app > .notice.error'), /could not be loaded/);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.app), 'viewer', 'the results stay');
    await context.unroute(/\/app-[0-9a-f]+\//);
    await page.click('#tab-data');
    await isApp(page, 'full');
    // The aborted requests are the only problems.
    assert.ok(problems.every((p) => /app-[0-9a-f]+|Failed to fetch|dynamically imported module|net::ERR_FAILED/.test(p)), problems.join('\n'));
  } finally {
    await close();
  }
});
