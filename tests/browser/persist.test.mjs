// Browser tests of saving in the browser, export and import (the release build in dist/,
// headless Chromium, via the shared harness). Every test also asserts that the page
// logged no console error, page error, CSP violation or failed request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DIST, REPO, assertDistBuilt, launchBrowser, startStaticServer, openPage } from './harness.mjs';

let browser;
let server;

before(async () => {
  assertDistBuilt();
  browser = await launchBrowser();
  server = await startStaticServer({ root: DIST, prefix: '/' });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function waitReady(page) {
  await page.waitForFunction(() => document.documentElement.dataset.ready === '1' && document.querySelectorAll('#results tbody tr').length > 0, null, { timeout: 30_000 });
}

async function open(pathAndQuery = '?lang=en') {
  const opened = await openPage(browser, server.url + pathAndQuery);
  await waitReady(opened.page);
  return opened;
}

/** The results table: [{ agent, rank, total, bonus }] in row order. */
async function table(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('#results tbody tr')].map((tr) => {
      const cell = (c) => tr.querySelector(`[data-col="${c}"]`)?.textContent ?? null;
      return { agent: tr.dataset.agent, rank: tr.cells[0].textContent, total: cell('total'), bonus: cell('bonus') };
    }),
  );
}

const totals = (rows) => Object.fromEntries(rows.map((r) => [r.agent, r.total]));

async function waitForTable(page, fn, what) {
  const deadline = Date.now() + 10_000;
  let rows = await table(page);
  while (!fn(rows)) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; table: ${JSON.stringify(rows)}`);
    await page.waitForTimeout(50);
    rows = await table(page);
  }
  return rows;
}

function assertClean(problems) {
  assert.deepEqual(problems, [], `the page reported problems:\n  ${problems.join('\n  ')}`);
}

const CELL = '#grid input[data-agent="a2"][data-key="csat"]';

test('an edit survives an immediate reload (saved on pagehide / after the pause)', async () => {
  const { page, problems, close } = await open();
  try {
    const before = await table(page);
    await page.locator(CELL).fill('95');
    const edited = await waitForTable(page, (rows) => totals(rows).a2 !== totals(before).a2, 'a2’s total to change');
    await page.reload({ waitUntil: 'load' });
    await waitReady(page);
    assert.equal(await page.locator(CELL).inputValue(), '95', 'the edited figure is back after the reload');
    assert.deepEqual(totals(await table(page)), totals(edited), 'the results are those of the edited workbook');
    // Nothing went wrong with storage: no notice is shown.
    assert.equal(await page.locator('#notices .notice').count(), 0);
    assertClean(problems);
  } finally {
    await close();
  }
});

test('?preset= does not overwrite the stored work without an edit', async () => {
  const { page, problems, close } = await open();
  try {
    const original = await table(page);
    await page.locator(CELL).fill('95');
    const before = await waitForTable(page, (rows) => totals(rows).a2 !== totals(original).a2, 'a2’s total to change');
    await page.waitForTimeout(700);
    await page.goto(server.url + '?lang=en&preset=courier', { waitUntil: 'load' });
    await waitReady(page);
    await page.goto(server.url + '?lang=en', { waitUntil: 'load' });
    await waitReady(page);
    assert.equal(await page.locator(CELL).inputValue(), '95');
    assert.deepEqual(totals(await table(page)), totals(before));
    assertClean(problems);
  } finally {
    await close();
  }
});

test('importing a bad file shows why and changes nothing', async () => {
  const { page, problems, close } = await open();
  try {
    const before = await table(page);
    await page.setInputFiles('#import-file', path.join(REPO, 'tests/fixtures/bad/wrong-format.json'));
    const error = page.locator('#import-error');
    await error.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await error.textContent(), /not a scorecard file/);
    assert.equal(await page.locator('#import-preview').count(), 0, 'no preview for a bad file');
    assert.deepEqual(await table(page), before, 'the results are unchanged');
    assertClean(problems);
  } finally {
    await close();
  }
});

test('export, then import the file as a new workbook: the same results', async () => {
  const { page, problems, close } = await open();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scorecard-persist-test-'));
  try {
    const original = await table(page);
    await page.locator(CELL).fill('95');
    const edited = await waitForTable(page, (rows) => totals(rows).a2 !== totals(original).a2, 'a2’s total to change');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const name = download.suggestedFilename();
    assert.match(name, /-\d{4}-\d{2}-\d{2}\.json$/, `file name ${name}`);
    const file = path.join(dir, name);
    await download.saveAs(file);
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(json.format, 'kpi-scorecard');
    assert.ok(json.results, 'the export has a results snapshot');

    // Back to the original figures, then import the exported file.
    await page.click('#undo');
    await waitForTable(page, (rows) => totals(rows).a2 === totals(original).a2, 'undo');

    await page.setInputFiles('#import-file', file);
    const preview = page.locator('#import-preview');
    await preview.waitFor({ state: 'visible', timeout: 10_000 });
    const text = await preview.textContent();
    assert.match(text, /Agents/);
    await page.click('#import-open-new');
    const imported = await waitForTable(page, (rows) => totals(rows).a2 === totals(edited).a2, 'the imported results');
    assert.deepEqual(imported.map((r) => [r.agent, r.total, r.rank, r.bonus]), edited.map((r) => [r.agent, r.total, r.rank, r.bonus]));
    assert.equal(await page.locator('#import-preview').count(), 0, 'the preview closes');
    assertClean(problems);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await close();
  }
});

test('a .json file dropped on the page opens the same import preview', async () => {
  const { page, problems, close } = await open();
  try {
    const before = await table(page);
    const text = fs.readFileSync(path.join(REPO, 'tests/fixtures/bad/wrong-format.json'), 'utf8');
    await page.evaluate((t) => {
      const dt = new DataTransfer();
      dt.items.add(new File([t], 'dropped.json', { type: 'application/json' }));
      const target = document.querySelector('#results');
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, text);
    const error = page.locator('#import-error');
    await error.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await error.textContent(), /not a scorecard file/);
    assert.deepEqual(await table(page), before);
    assertClean(problems);
  } finally {
    await close();
  }
});

test('newer data saved in another tab: a banner offers to reload, nothing is overwritten', async () => {
  const { page, context, problems, close } = await open();
  try {
    const other = await context.newPage();
    other.on('pageerror', (err) => problems.push(`other tab: page error: ${err.message}`));
    other.on('console', (msg) => msg.type() === 'error' && problems.push(`other tab: console.error: ${msg.text()}`));
    await other.goto(server.url + '?lang=en', { waitUntil: 'load' });
    await waitReady(other);
    await other.locator(CELL).fill('97');
    await other.waitForTimeout(800); // saved after the pause
    const reload = page.locator('#notices [data-action="reload"]');
    await reload.waitFor({ state: 'visible', timeout: 10_000 });
    // An edit here is not saved over the other tab's data.
    await page.locator('#grid input[data-agent="a3"][data-key="csat"]').fill('12');
    await page.waitForTimeout(800);
    await Promise.all([page.waitForEvent('load'), reload.click()]);
    await waitReady(page);
    assert.equal(await page.locator(CELL).inputValue(), '97', 'the other tab’s edit is shown after reloading');
    assert.notEqual(await page.locator('#grid input[data-agent="a3"][data-key="csat"]').inputValue(), '12');
    assertClean(problems);
  } finally {
    await close();
  }
});

test('damaged stored data: a notice says so and offers the damaged text for download', async () => {
  const { page, problems, close } = await open();
  try {
    await page.evaluate(() => {
      const index = JSON.parse(localStorage.getItem('kpi-scorecard.index'));
      localStorage.setItem(`kpi-scorecard.wb.${index.current}`, '{"format": "kpi-scorecard-store", broken');
    });
    await page.reload({ waitUntil: 'load' });
    await waitReady(page);
    const button = page.locator('#notices [data-action="download-damaged"]');
    await button.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await page.locator('#notices').textContent(), /damaged/);
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scorecard-persist-test-'));
    try {
      const file = path.join(dir, download.suggestedFilename());
      await download.saveAs(file);
      assert.equal(fs.readFileSync(file, 'utf8'), '{"format": "kpi-scorecard-store", broken');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    assert.ok((await table(page)).length > 0, 'the app still shows results');
    assertClean(problems);
  } finally {
    await close();
  }
});
