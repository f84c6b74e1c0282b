// Browser tests of saving in the browser, export and import (the release build in dist/,
// headless Chromium, via the shared harness). Every test also asserts that the page
// logged no console error, page error, CSP violation or failed request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO, servedDist, openReady, waitReady, assertClean } from './harness.mjs';

const env = servedDist();

const open = (pathAndQuery = '?lang=en') => openReady(env.browser, env.server.url + pathAndQuery);

/** The results table: [{ agent, rank, total, bonus, dTotal, dRank, dBonus }] in row order (Δ null without a baseline). */
async function table(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('#results tbody tr')].map((tr) => {
      const cell = (c) => tr.querySelector(`[data-col="${c}"]`)?.textContent ?? null;
      return { agent: tr.dataset.agent, rank: tr.cells[0].textContent, total: cell('total'), bonus: cell('bonus'), dTotal: cell('d-total'), dRank: cell('d-rank'), dBonus: cell('d-bonus') };
    }),
  );
}

/** Everything the app keeps in localStorage. */
async function stored(page) {
  return page.evaluate(() => Object.fromEntries(Object.keys(localStorage).filter((k) => k.startsWith('kpi-scorecard.')).sort().map((k) => [k, localStorage.getItem(k)])));
}

/** Waits until `fn()` (async) is truthy; fails with `what` and the last value. */
async function until(fn, what, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
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
    await page.goto(env.server.url + '?lang=en&preset=courier', { waitUntil: 'load' });
    await waitReady(page);
    await page.goto(env.server.url + '?lang=en', { waitUntil: 'load' });
    await waitReady(page);
    assert.equal(await page.locator(CELL).inputValue(), '95');
    assert.deepEqual(totals(await table(page)), totals(before));
    assertClean(problems);
  } finally {
    await close();
  }
});

/** tests/fixtures/bad/EXPECTED.md: file → the English message (`…` marks parts left out). */
function expectedMessages() {
  const out = new Map();
  for (const line of fs.readFileSync(path.join(REPO, 'tests/fixtures/bad/EXPECTED.md'), 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const file = cells[1]?.match(/^`([^`]+\.json)`$/)?.[1];
    if (file) out.set(file, cells[3]);
  }
  return out;
}

test('every bad file imported through the page shows its message and changes nothing', async () => {
  const { page, problems, close } = await open();
  try {
    const expected = expectedMessages();
    const dir = path.join(REPO, 'tests/fixtures/bad');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
    assert.ok(files.length >= 20, `fixtures: ${files}`);
    const before = await table(page);
    const storedBefore = await stored(page);
    const seen = [];
    for (const file of files) {
      assert.ok(expected.has(file), `${file} has no row in EXPECTED.md`);
      const parts = expected.get(file).split('…').map((p) => p.trim()).filter(Boolean);
      await page.setInputFiles('#import-file', path.join(dir, file));
      const error = page.locator('#import-error');
      const text = await until(async () => {
        const t = (await error.count()) ? await error.locator('span').textContent() : '';
        return parts.every((p) => t.includes(p)) && t;
      }, `the message for ${file}: ${JSON.stringify(parts)}`);
      seen.push(file);
      assert.equal(await page.locator('#import-preview').count(), 0, `no preview for ${file}`);
      assert.deepEqual(await table(page), before, `the results are unchanged after ${file}`);
      // Dismiss, so the next file's message is a new one.
      await error.locator('button').click();
      await error.waitFor({ state: 'detached' });
      assert.ok(text.length > 0);
    }
    assert.equal(seen.length, files.length);
    await page.waitForTimeout(500);
    assert.deepEqual(await stored(page), storedBefore, 'nothing stored changed');
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
    await other.goto(env.server.url + '?lang=en', { waitUntil: 'load' });
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

test('a pinned baseline survives a reload: the Δ columns come back with the same values', async () => {
  const { page, problems, close } = await open();
  try {
    await page.click('#pin-baseline');
    await page.waitForSelector('#results th[data-col="d-total"]');
    await page.click('#tab-scheme');
    await page.locator('input.weight-number[data-indicator="0"]').fill('5');
    const tried = await waitForTable(page, (rows) => rows.some((r) => r.dTotal !== '0'), 'Δ to appear');
    await page.reload({ waitUntil: 'load' });
    await waitReady(page);
    await page.waitForSelector('#results th[data-col="d-total"]');
    assert.deepEqual(await table(page), tried, 'the same results and Δ values after the reload');
    assert.equal(await page.locator('#clear-baseline').count(), 1, 'the baseline is pinned');
    assertClean(problems);
  } finally {
    await close();
  }
});

test('storage full: a lasting warning, the edit stays on the page, export still works', async () => {
  const { page, problems, close } = await open();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scorecard-persist-test-'));
  try {
    const original = await table(page);
    // Fill localStorage until not even one more character fits.
    const filled = await page.evaluate(() => {
      let n = 0;
      for (let size = 1 << 20; size >= 1; ) {
        try {
          localStorage.setItem(`filler.${n}`, 'x'.repeat(size));
          n += 1;
        } catch {
          size = Math.floor(size / 2);
        }
      }
      return n;
    });
    assert.ok(filled > 0);
    await page.locator(CELL).fill('95.125');
    const edited = await waitForTable(page, (rows) => totals(rows).a2 !== totals(original).a2, 'a2’s total to change');
    const warning = page.locator('#notices .notice.warn');
    await warning.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await warning.textContent(), /storage is full/);
    assert.equal(await warning.getAttribute('role'), 'alert');
    // It stays (until a save succeeds), and the edit is still on the page.
    await page.waitForTimeout(1000);
    assert.equal(await warning.count(), 1);
    assert.equal(await page.locator(CELL).inputValue(), '95.125');
    assert.deepEqual(await table(page), edited);
    // Export saves what is on the page.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const file = path.join(dir, download.suggestedFilename());
    await download.saveAs(file);
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    const period = await page.inputValue('select#period');
    const record = json.records.find((r) => r.agent === 'a2' && r.period === period);
    assert.equal(record.figures.csat, 95.125);
    assertClean(problems);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await close();
  }
});

/** The lines of "My workbooks": [{ id, title, current }], and of the trash. */
async function workbooks(page) {
  return page.evaluate(() => {
    const lines = (sel) => [...document.querySelectorAll(`${sel} > li`)].map((li) => ({ id: li.dataset.id, title: li.querySelector('.wb-name').textContent, current: li.getAttribute('aria-current') === 'true' }));
    return { list: lines('#workbook-list'), trash: lines('#workbook-trash') };
  });
}

const shownTitle = (page) => page.locator('.wb-title').textContent();

test('my workbooks: create, rename, duplicate, delete and restore, switch; all kept after a reload', async () => {
  const { page, problems, close } = await open();
  try {
    const general = await shownTitle(page);
    await page.locator(CELL).fill('95');
    await page.click('#workbooks summary');
    let wbs = await until(async () => { const w = await workbooks(page); return w.list.length === 1 && w; }, 'one workbook');
    assert.equal(wbs.list[0].title, general);
    assert.ok(wbs.list[0].current);
    assert.match(await page.locator('#workbook-list li').textContent(), /Last changed \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    const first = wbs.list[0].id;

    // Create from a template: it opens.
    await page.click('#workbook-new [data-action="new"][data-id="courier"]');
    wbs = await until(async () => { const w = await workbooks(page); return w.list.length === 2 && w; }, 'two workbooks');
    const courier = wbs.list.find((w) => w.current);
    assert.notEqual(courier.id, first);
    assert.equal(await shownTitle(page), courier.title);
    assert.equal(await page.locator(CELL).count(), 0, 'the courier template has no agent a2 csat cell');

    // Rename the open one.
    page.once('dialog', (d) => d.accept('Courier team <b>A</b>'));
    await page.click(`#workbook-list li[data-id="${courier.id}"] [data-action="rename"]`);
    await until(async () => (await shownTitle(page)) === 'Courier team <b>A</b>', 'the new title in the header');
    await until(async () => (await workbooks(page)).list.some((w) => w.title === 'Courier team <b>A</b>'), 'the new title in the list');

    // Duplicate the first one: the copy opens, with its figures.
    await page.click(`#workbook-list li[data-id="${first}"] [data-action="duplicate"]`);
    wbs = await until(async () => { const w = await workbooks(page); return w.list.length === 3 && w; }, 'three workbooks');
    const copy = wbs.list.find((w) => w.current);
    assert.equal(copy.title, `${general} (copy)`);
    assert.equal(await page.locator(CELL).inputValue(), '95');

    // Delete the copy (the open one): another opens; restore it from the trash.
    await page.click(`#workbook-list li[data-id="${copy.id}"] [data-action="delete"]`);
    wbs = await until(async () => { const w = await workbooks(page); return w.list.length === 2 && w.trash.length === 1 && w; }, 'the copy in the trash');
    assert.equal(wbs.trash[0].id, copy.id);
    assert.ok(!wbs.list.some((w) => w.id === copy.id));
    await page.click(`#workbook-trash li[data-id="${copy.id}"] [data-action="restore"]`);
    wbs = await until(async () => { const w = await workbooks(page); return w.list.length === 3 && w.trash.length === 0 && w; }, 'the copy restored');
    assert.ok(wbs.list.find((w) => w.id === copy.id).current);
    assert.equal(await shownTitle(page), `${general} (copy)`);

    // Switch to the first one.
    await page.click(`#workbook-list li[data-id="${first}"] [data-action="open"]`);
    await until(async () => (await shownTitle(page)) === general, 'the first workbook shown');
    assert.equal(await page.locator(CELL).inputValue(), '95');
    await until(async () => (await workbooks(page)).list.find((w) => w.id === first)?.current, 'the first one marked open');

    await page.reload({ waitUntil: 'load' });
    await waitReady(page);
    assert.equal(await shownTitle(page), general, 'the workbook open before the reload');
    assert.equal(await page.locator(CELL).inputValue(), '95');
    await page.click('#workbooks summary');
    wbs = await until(async () => { const w = await workbooks(page); return w.list.length === 3 && w; }, 'three workbooks after the reload');
    assert.deepEqual(wbs.list.map((w) => w.title).sort(), [general, `${general} (copy)`, 'Courier team <b>A</b>'].sort());
    assert.equal(wbs.trash.length, 0);
    assert.equal(await page.locator('#workbook-list b').count(), 0, 'titles are text, not HTML');
    assertClean(problems);
  } finally {
    await close();
  }
});

test('copy to the clipboard: the same text as Export, and a message', async () => {
  const { page, context, problems, close } = await open();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scorecard-persist-test-'));
  try {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(env.server.url).origin });
    await page.locator(CELL).fill('95');
    await page.click('#copy-json');
    const msg = page.locator('#copy-message');
    await msg.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await msg.textContent(), /Copied to the clipboard/);
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const file = path.join(dir, download.suggestedFilename());
    await download.saveAs(file);
    assert.equal(copied, fs.readFileSync(file, 'utf8'));
    assert.equal(JSON.parse(copied).format, 'kpi-scorecard');
    assertClean(problems);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await close();
  }
});

test('copy to the clipboard refused: says so and suggests Export', async () => {
  const { page, problems, close } = await open();
  try {
    await page.evaluate(() => {
      navigator.clipboard.writeText = () => Promise.reject(new DOMException('refused', 'NotAllowedError'));
    });
    await page.click('#copy-json');
    const msg = page.locator('#copy-message');
    await msg.waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await msg.getAttribute('role'), 'alert');
    assert.match(await msg.textContent(), /refused access to the clipboard\. Use Export/);
    assertClean(problems);
  } finally {
    await close();
  }
});

test('newer data in another tab: "keep both" saves this tab’s version as a new workbook, nothing is lost', async () => {
  const { page, context, problems, close } = await open();
  try {
    const original = await page.locator(CELL).inputValue();
    const other = await context.newPage();
    other.on('pageerror', (err) => problems.push(`other tab: page error: ${err.message}`));
    other.on('console', (msg) => msg.type() === 'error' && problems.push(`other tab: console.error: ${msg.text()}`));
    await other.goto(env.server.url + '?lang=en', { waitUntil: 'load' });
    await waitReady(other);
    await other.locator(CELL).fill('97');
    await other.waitForTimeout(800);
    const keep = page.locator('#notices [data-action="keep-both"]');
    await keep.waitFor({ state: 'visible', timeout: 10_000 });
    const A3 = '#grid input[data-agent="a3"][data-key="csat"]';
    await page.locator(A3).fill('12');
    await page.waitForTimeout(500);
    await keep.click();
    await keep.waitFor({ state: 'detached', timeout: 10_000 });
    // Autosave goes on with the new workbook.
    await page.locator('#grid input[data-agent="a4"][data-key="csat"]').fill('13');
    await page.waitForTimeout(800);
    await page.reload({ waitUntil: 'load' });
    await waitReady(page);
    assert.equal(await page.locator(A3).inputValue(), '12', 'this tab’s edit is kept');
    assert.equal(await page.locator('#grid input[data-agent="a4"][data-key="csat"]').inputValue(), '13', 'and the edit after “keep both”');
    assert.equal(await page.locator(CELL).inputValue(), original, 'this tab’s version, not the other’s');
    // The other tab's version is the other workbook in the list.
    await page.click('#workbooks summary');
    const wbs = await until(async () => { const w = await workbooks(page); return w.list.length === 2 && w; }, 'two workbooks');
    const theirs = wbs.list.find((w) => !w.current);
    await page.click(`#workbook-list li[data-id="${theirs.id}"] [data-action="open"]`);
    await until(async () => (await page.locator(CELL).inputValue()) === '97', 'the other tab’s edit in the other workbook');
    assert.notEqual(await page.locator(A3).inputValue(), '12');
    assertClean(problems);
  } finally {
    await close();
  }
});

test('localStorage refused (private mode, storage disabled): the app works in memory and says so', async () => {
  const context = await env.browser.newContext({ serviceWorkers: 'block' });
  const problems = [];
  try {
    // Every touch of window.localStorage throws, as in a browser with storage disabled.
    await context.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', { configurable: true, get() { throw new DOMException('The operation is insecure.', 'SecurityError'); } });
    });
    const page = await context.newPage();
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => msg.type() === 'error' && problems.push(`console.error: ${msg.text()}`));
    await page.goto(env.server.url + '?lang=en', { waitUntil: 'load' });
    await page.waitForFunction(() => document.documentElement.dataset.ready === '1' && document.querySelectorAll('#results tbody tr').length > 0, null, { timeout: 30_000 });
    assert.match(await page.locator('.notices').innerText(), /does not allow saving here/, 'a visible notice');
    const before = await table(page);
    await page.locator(CELL).fill('95');
    await waitForTable(page, (rows) => totals(rows).a2 !== totals(before).a2, 'the edit to change a2’s total in memory');
    // Export still works: the reminder's way out.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    assert.match(download.suggestedFilename(), /\.json$/);
    assert.deepEqual(problems, [], `the page reported problems:\n  ${problems.join('\n  ')}`);
  } finally {
    await context.close();
  }
});
