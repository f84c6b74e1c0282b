// Browser tests of the on-demand module (issue 6): charts, printable appraisal sheets,
// spreadsheet import and export. The release build in dist/, headless Chromium, via the
// shared harness. Every test also asserts that the page logged no console error, page
// error, CSP violation or failed request.
//
// The module is a second WebAssembly file (dist/extras-<hash>/) that the page imports the
// first time one of these is opened: the first test checks the first load does not fetch it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO, servedDist, openReady, waitReady, assertClean, cliPreset, cliScore } from './harness.mjs';

const env = servedDist();
const CSV = path.join(REPO, 'tests/fixtures/csv');

const open = (pathAndQuery = '?lang=en') => openReady(env.browser, env.server.url + pathAndQuery);

/** The results table: [{ agent, total, grade, bonus }] in row order. */
async function table(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('#results tbody tr')].map((tr) => {
      const cell = (c) => tr.querySelector(`[data-col="${c}"]`)?.textContent ?? null;
      return { agent: tr.dataset.agent, total: cell('total'), grade: cell('grade'), bonus: cell('bonus') };
    }),
  );
}

function extrasRequests(requests) {
  return requests.filter((r) => /\/extras-[0-9a-f]+\//.test(r.url));
}

test('the first load does not fetch the on-demand module; opening the charts does, once', async () => {
  const { page, problems, requests, close } = await open();
  try {
    await page.waitForTimeout(300);
    assert.deepEqual(extrasRequests(requests), [], 'nothing from extras-*/ on the first load');
    const meta = await page.locator('meta[name="scorecard-extras"]').getAttribute('content');
    assert.match(meta, /^extras-[0-9a-f]{16}\/scorecard-extras\.js$/);
    await page.click('#open-charts');
    await page.locator('#charts-dialog').waitFor({ state: 'visible', timeout: 20_000 });
    const loaded = extrasRequests(requests).map((r) => path.basename(new URL(r.url).pathname)).sort();
    assert.deepEqual(loaded, ['scorecard-extras.js', 'scorecard-extras_bg.wasm']);
    // Close with Escape: the dialog goes, focus returns to the button that opened it.
    await page.keyboard.press('Escape');
    await page.locator('#charts-dialog').waitFor({ state: 'detached', timeout: 5_000 });
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'open-charts');
    // Opened again: no second download.
    await page.click('#open-charts');
    await page.locator('#charts-dialog').waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(extrasRequests(requests).length, 2);
    assertClean(problems);
  } finally {
    await close();
  }
});

test('the ranked chart has one bar per agent, in rank order, with accessible names', async () => {
  const { page, problems, close } = await open();
  try {
    const rows = await table(page);
    await page.click('#open-charts');
    await page.locator('#chart-ranked svg').waitFor({ state: 'visible', timeout: 20_000 });
    const bars = await page.$$eval('#chart-ranked rect.chart-bar', (rs) => rs.map((r) => ({ key: r.dataset.key, h: Number(r.getAttribute('height')) })));
    assert.deepEqual(bars.map((b) => b.key), rows.map((r) => r.agent), 'one bar per agent, in the table\'s rank order');
    for (let i = 1; i < bars.length; i++) assert.ok(bars[i - 1].h >= bars[i].h - 1e-9, 'bars do not grow down the ranking');
    assert.equal(await page.getAttribute('#chart-ranked svg', 'role'), 'img');
    assert.match(await page.textContent('#chart-ranked svg title'), /Totals by rank/);
    // Another agent: the per-agent charts follow the choice.
    const second = rows[1].agent;
    await page.selectOption('#chart-agent', second);
    await page.locator('#chart-categories').waitFor({ timeout: 5_000 });
    assert.ok((await page.$$eval('#chart-categories rect.chart-bar', (r) => r.length)) > 0);
    assert.ok((await page.$$eval('#chart-history circle', (r) => r.length)) >= 2, 'a dot per period');
    // With a baseline pinned, the slope chart shows every agent.
    await page.click('#extras-close');
    await page.locator('#charts-dialog').waitFor({ state: 'detached' });
    await page.click('#pin-baseline');
    await page.click('#open-charts');
    await page.locator('#chart-slope svg').waitFor({ state: 'visible', timeout: 10_000 });
    assertClean(problems);
  } finally {
    await close();
  }
});

/** The number of pages in a PDF (its /Type /Page objects). */
function pdfPages(buffer) {
  return (buffer.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) || []).length;
}

test('the appraisal sheets: one per agent with signature lines; printing gives one page each', async () => {
  const { page, problems, close } = await open();
  try {
    const rows = await table(page);
    await page.click('#open-print');
    await page.locator('#print-dialog .sheet').first().waitFor({ state: 'visible', timeout: 20_000 });
    const sheets = await page.$$eval('#print-dialog .sheet', (ss) => ss.map((s) => ({
      agent: s.dataset.agent,
      signatures: s.querySelectorAll('.signature .signature-line').length,
      text: s.innerText,
      indicators: s.querySelectorAll('.sheet-table tbody tr').length,
    })));
    assert.deepEqual(sheets.map((s) => s.agent), rows.map((r) => r.agent), 'one sheet per agent, in rank order');
    for (const s of sheets) {
      assert.equal(s.signatures, 4, 'signature and date lines for the agent and the appraiser');
      assert.match(s.text, /Agent's signature/);
      assert.match(s.text, /Appraiser's signature/);
      assert.match(s.text, /Comments/);
      assert.ok(s.indicators >= 6, 'every indicator of the general scheme');
    }
    // The sheet shows the agent's total and bonus as the table does.
    const first = sheets[0];
    assert.ok(first.text.includes(rows[0].total), `sheet shows total ${rows[0].total}`);
    assert.ok(first.text.includes(rows[0].bonus), `sheet shows bonus ${rows[0].bonus}`);

    // Print media: only the sheets; as a PDF, one A4 page per agent.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.isVisible('#results'), false, 'the app is not printed');
    assert.equal(await page.isVisible('#print-now'), false, 'the dialog\'s controls are not printed');
    assert.equal(await page.isVisible('#print-dialog .sheet >> nth=0'), true);
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
    assert.equal(pdfPages(pdf), rows.length, 'one printed page per agent');
    await page.emulateMedia({ media: 'screen' });

    // One agent only.
    await page.selectOption('#print-agent', rows[2].agent);
    assert.deepEqual(await page.$$eval('#print-dialog .sheet', (ss) => ss.map((s) => s.dataset.agent)), [rows[2].agent]);
    assertClean(problems);
  } finally {
    await close();
  }
});

test('a CSV in UTF-8 imports after the preview; GBK and .xlsx give the same figures; undo restores', async () => {
  const { page, problems, close } = await open();
  try {
    const before = await table(page);
    const cell = (agent, key) => page.locator(`#grid input[data-agent="${agent}"][data-key="${key}"]`).inputValue();
    const after = {};
    for (const file of ['general-2026-10.csv', 'general-2026-10-gbk.csv', 'general-2026-10-bom.csv', 'general-2026-10.xlsx']) {
      await page.setInputFiles('#import-file', path.join(CSV, file));
      await page.locator('#sheet-dialog #sheet-summary').waitFor({ state: 'visible', timeout: 20_000 });
      // The mapping was guessed from the header; nothing has changed yet.
      assert.equal(await page.inputValue('#sheet-col-3'), 'metric:tickets', `${file}: column D is tickets`);
      assert.deepEqual(await table(page), before, `${file}: nothing changes before confirming`);
      await page.click('#sheet-confirm');
      await page.locator('#sheet-dialog').waitFor({ state: 'detached', timeout: 5_000 });
      after[file] = { table: await table(page), a1: await cell('a1', 'tickets'), a3: await cell('a3', 'tickets'), a2: await cell('a2', 'response') };
      await page.click('#undo');
      await page.waitForFunction((b) => JSON.stringify([...document.querySelectorAll('#results tbody tr')].map((tr) => tr.dataset.agent)) === JSON.stringify(b), before.map((r) => r.agent));
      assert.deepEqual(await table(page), before, `${file}: undo restores the results`);
    }
    const utf8 = after['general-2026-10.csv'];
    assert.equal(utf8.a1, '1012', '"1,012" read as 1012');
    assert.equal(utf8.a3, '710', 'full-width digits');
    assert.equal(utf8.a2, '35', '00:00:35 read as 35 s');
    assert.notDeepEqual(utf8.table, before, 'the results changed');
    for (const f of ['general-2026-10-gbk.csv', 'general-2026-10-bom.csv', 'general-2026-10.xlsx']) {
      assert.deepEqual(after[f], utf8, `${f} imports to the same figures and results as the UTF-8 file`);
    }
    // The page's results equal the CLI's for the workbook the import made.
    const wb = cliPreset('general');
    const figures = {
      a1: [21, 1012, 990, 96.5, 44.1, 94], a2: [35, 820, 770, 89, 36.8, 88.5], a3: [42, 710, 630, 82.5, 31.0, null], a4: [31, 830, 780, 91, 37.2, 88],
      a5: [26, 880, 850, 93.5, 41.5, 92], a6: [45, 650, 560, 78, 28.9, 80.5], a7: [37, 740, 660, 84, 33.1, 85], a8: [50, 520, 430, 72, 25.5, 77],
    };
    const keys = ['response', 'tickets', 'solved', 'csat', 'per_day', 'retention'];
    for (const r of wb.records.filter((r) => r.period === '2026-10')) {
      keys.forEach((k, i) => {
        const v = figures[r.agent][i];
        if (v === null) delete r.figures[k];
        else r.figures[k] = v;
      });
    }
    const cli = cliScore(wb);
    const expected = cli.periods.find((p) => p.period === '2026-10').agents;
    assert.deepEqual(utf8.table.map((r) => r.agent), expected.map((a) => a.agent), 'rank order as the CLI computes it');
    utf8.table.forEach((r, i) => assert.equal(Number(r.total.replace(/,/g, '')), expected[i].total, `total of ${r.agent}`));
    assertClean(problems);
  } finally {
    await close();
  }
});

test('a spreadsheet with bad cells: every problem named by row and column, nothing imported', async () => {
  const { page, problems, close } = await open();
  try {
    const before = await table(page);
    await page.setInputFiles('#import-file', path.join(CSV, 'bad-values.csv'));
    const errors = page.locator('#sheet-errors');
    await errors.waitFor({ state: 'visible', timeout: 20_000 });
    const text = await errors.innerText();
    assert.match(text, /Row 2, column D/);
    assert.match(text, /abc/);
    assert.equal(await page.isDisabled('#sheet-confirm'), true, 'cannot confirm a file with errors');
    await page.click('#sheet-cancel');
    await page.locator('#sheet-dialog').waitFor({ state: 'detached' });
    assert.deepEqual(await table(page), before);
    // A file that is not a table at all.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scorecard-extras-'));
    const broken = path.join(dir, 'broken.xlsx');
    fs.writeFileSync(broken, Buffer.from('PK\u0003\u0004 this is not a workbook'));
    await page.setInputFiles('#import-file', broken);
    await page.locator('#sheet-error').waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await page.textContent('#sheet-dialog'), /Nothing was changed/);
    await page.keyboard.press('Escape');
    fs.rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(await table(page), before);
    assertClean(problems);
  } finally {
    await close();
  }
});

test('results download as CSV (UTF-8 with BOM) and as .xlsx', async () => {
  const { page, problems, close } = await open();
  try {
    const rows = await table(page);
    const [csv] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), page.click('#export-csv')]);
    assert.match(csv.suggestedFilename(), /-2026-10-results\.csv$/);
    const bytes = fs.readFileSync(await csv.path());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM so Excel shows Chinese');
    const lines = bytes.toString('utf8').slice(1).trim().split(/\r?\n/);
    assert.equal(lines.length, rows.length + 1, 'a header and one line per agent');
    const [xlsx] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), page.click('#export-xlsx')]);
    assert.match(xlsx.suggestedFilename(), /\.xlsx$/);
    const zip = fs.readFileSync(await xlsx.path());
    assert.equal(zip.subarray(0, 2).toString('latin1'), 'PK');
    assert.ok(zip.includes(Buffer.from('xl/worksheets/sheet2.xml')), 'two sheets: results and explanations');
    assertClean(problems);
  } finally {
    await close();
  }
});

test('a workbook file whose results differ from what this version computes: the preview lists each difference', async () => {
  const { page, problems, close } = await open();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scorecard-extras-'));
  try {
    const before = await table(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const file = path.join(dir, 'export.json');
    await download.saveAs(file);
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    const period = json.results.periods.find((p) => p.period === '2026-10');
    const changed = period.agents[0];
    changed.total = Number(changed.total) + 5;
    fs.writeFileSync(file, JSON.stringify(json, null, 2));
    await page.setInputFiles('#import-file', file);
    await page.locator('#import-preview').waitFor({ state: 'visible', timeout: 20_000 });
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'import-open-new', 'the first choice has the focus');
    const lines = await page.$$eval('#import-differences li', (li) => li.map((x) => x.textContent));
    assert.equal(lines.length, 1, `one difference: ${lines}`);
    assert.match(lines[0], new RegExp(`${changed.total}`), 'the line shows the total in the file');
    await page.click('#import-cancel');
    await page.locator('#import-preview').waitFor({ state: 'detached' });
    assert.deepEqual(await table(page), before, 'cancel changes nothing');
    assertClean(problems);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await close();
  }
});

test('a column mapped by hand is remembered for this workbook (also after a reload); unknown agents can be added', async () => {
  const { page, problems, close } = await open();
  try {
    const file = path.join(CSV, 'messy.tsv');
    await page.setInputFiles('#import-file', file);
    await page.locator('#sheet-dialog').waitFor({ state: 'visible', timeout: 20_000 });
    assert.equal(await page.inputValue('#sheet-col-2'), 'ignore', '"AHT" is not a name the scheme knows');
    await page.selectOption('#sheet-col-2', 'metric:response');
    await page.locator('#sheet-summary').waitFor();
    assert.match(await page.textContent('#sheet-summary'), /New Person/, 'the unknown agent is named');
    assert.equal(await page.isChecked('#sheet-add-new'), true, 'adding them is offered');
    await page.click('#sheet-confirm');
    await page.locator('#sheet-dialog').waitFor({ state: 'detached' });
    assert.equal(await page.inputValue('#grid input[data-agent="a1"][data-key="response"]'), '75', '00:01:15 is 75 s');
    assert.equal(await page.locator('#results tbody tr[data-agent="a9"]').count(), 1, 'New Person was added');
    // Saved with the workbook: after a reload the same file opens with AHT → response.
    await page.waitForTimeout(600);
    await page.reload({ waitUntil: 'load' });
    await waitReady(page);
    await page.setInputFiles('#import-file', file);
    await page.locator('#sheet-dialog').waitFor({ state: 'visible', timeout: 20_000 });
    assert.equal(await page.inputValue('#sheet-col-2'), 'metric:response', 'the mapping was remembered');
    await page.click('#sheet-cancel');
    assertClean(problems);
  } finally {
    await close();
  }
});
