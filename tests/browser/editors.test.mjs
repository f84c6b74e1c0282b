// Browser tests of the scheme editor's dialogs (issue 4), which live in the on-demand
// module: metrics, seasons, bonus details, raters' scores. Each dialog edits a copy of
// the workbook; Apply hands it back as one undoable edit, Cancel changes nothing.
// Results after an edit are compared with the CLI (`scorecard score`) on a workbook
// changed the same way. Every test also asserts that the page logged no console error,
// page error, CSP violation or failed request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { servedDist, openReady, assertClean, cliPreset, cliScore } from './harness.mjs';

const env = servedDist();

const preset = cliPreset;

/** The CLI's results of one period: { agent id → agent result }. */
function score(workbook, period) {
  const p = cliScore(workbook).periods.find((x) => x.period === period);
  return Object.fromEntries(p.agents.map((a) => [a.agent, a]));
}

function num(text) {
  return Number(String(text).trim().replace(/−/g, '-').replace(/[+¥,\s]/g, ''));
}

const open = (pathAndQuery) => openReady(env.browser, env.server.url + pathAndQuery);

/** { agent → { total, bonus } } as the results table shows them. */
async function table(page) {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('#results tbody tr')].map((tr) => {
        const cell = (c) => tr.querySelector(`[data-col="${c}"]`)?.textContent ?? null;
        return [tr.dataset.agent, { total: cell('total'), bonus: cell('bonus') }];
      }),
    ),
  );
}

/** Waits until every agent's total (and bonus) match the CLI's. */
async function waitForCli(page, cli, what, { bonus = false } = {}) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const rows = await table(page);
    const ok = Object.keys(rows).length === Object.keys(cli).length &&
      Object.entries(rows).every(([a, r]) => cli[a] && Math.abs(num(r.total) - cli[a].total) < 0.006 && (!bonus || num(r.bonus) === Number(cli[a].bonus)));
    if (ok) return rows;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}: ${JSON.stringify(rows)} vs CLI ${JSON.stringify(Object.fromEntries(Object.entries(cli).map(([a, c]) => [a, [c.total, c.bonus]])))}`);
    await page.waitForTimeout(50);
  }
}

async function openDialog(page, button, dialog) {
  if (!(await page.isVisible(button))) await page.click('#tab-scheme');
  await page.click(button);
  await page.locator(dialog).waitFor({ state: 'visible', timeout: 20_000 });
}

test('metrics: a bad formula says why and blocks Apply; a good one applies as one undoable edit', async () => {
  const { page, problems, close } = await open('?lang=en');
  try {
    const before = await table(page);
    await openDialog(page, '#edit-metrics-0', '#metrics-dialog');
    const n = await page.locator('#metrics-dialog fieldset.editor-item').count();
    // Removing a metric in use is refused, naming its users.
    await page.click('#metric-remove-0');
    assert.match(await page.textContent('#editor-note'), /Cannot remove.*indicators:/);
    await page.click('#metric-add');
    const f = (x) => `#e-scheme-metrics-${n}-${x}`;
    await page.locator(f('id')).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), `e-scheme-metrics-${n}-id`, 'the new metric\'s id has the focus');
    await page.fill(f('id'), 'double_tickets');
    await page.fill(f('name'), 'Twice the tickets');
    await page.fill(f('formula'), 'tickets *');
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.trim().length > 0, `${f('formula')}-msg`);
    assert.ok(await page.locator(`${f('formula')}-msg.error`).count(), 'the formula\'s message is an error');
    assert.equal(await page.getAttribute(f('formula'), 'aria-invalid'), 'true');
    assert.ok(await page.isDisabled('#editor-apply'), 'Apply is disabled while the formula is wrong');
    await page.fill(f('formula'), 'nonsense * 2');
    await page.waitForFunction((sel) => /nonsense/.test(document.querySelector(sel)?.textContent), `${f('formula')}-msg`);
    assert.ok(await page.isDisabled('#editor-apply'));
    await page.fill(f('formula'), 'tickets * 2');
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.trim() === '', `${f('formula')}-msg`);
    assert.ok(!(await page.isDisabled('#editor-apply')), 'Apply is enabled again');
    await page.click('#editor-apply');
    await page.locator('#metrics-dialog').waitFor({ state: 'detached', timeout: 5_000 });
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'edit-metrics-0', 'focus returns to the button');
    // The metric is there: an indicator can choose it.
    await page.locator('#f-scheme-indicators-0-metric option[value="double_tickets"]').waitFor({ state: 'attached', timeout: 5_000 });
    assert.equal(await page.textContent('#f-scheme-indicators-0-metric option[value="double_tickets"]'), 'Twice the tickets');
    assert.deepEqual(await table(page), before, 'an unused metric changes no result');
    // One undo takes the whole dialog's change back.
    await page.click('#undo');
    await page.locator('#f-scheme-indicators-0-metric option[value="double_tickets"]').waitFor({ state: 'detached', timeout: 5_000 });
    assertClean(problems);
  } finally {
    await close();
  }
});

test('Cancel and Escape change nothing', async () => {
  const { page, problems, close } = await open('?lang=en');
  try {
    const before = await table(page);
    const canUndo = !(await page.isDisabled('#undo'));
    await openDialog(page, '#edit-metrics-0', '#metrics-dialog');
    await page.click('#metric-add');
    await page.click('#editor-cancel');
    await page.locator('#metrics-dialog').waitFor({ state: 'detached', timeout: 5_000 });
    await openDialog(page, '#edit-grades-0', '#grades-dialog');
    await page.fill('#e-scheme-grades-bands-0-min', '1');
    await page.keyboard.press('Escape');
    await page.locator('#grades-dialog').waitFor({ state: 'detached', timeout: 5_000 });
    await page.waitForTimeout(200);
    assert.equal(await page.locator('#f-scheme-indicators-0-metric option[value="m1"]').count(), 0);
    assert.deepEqual(await table(page), before);
    assert.equal(!(await page.isDisabled('#undo')), canUndo, 'no edit was recorded');
    assertClean(problems);
  } finally {
    await close();
  }
});

test('seasons: moving a month to the other season changes the seasonal band points, as the CLI computes', async () => {
  const { page, problems, close } = await open('?lang=en&preset=courier');
  try {
    const period = await page.inputValue('select#period');
    const month = Number(period.slice(5, 7));
    const wb = preset('courier');
    const from = wb.scheme.seasons.findIndex((s) => s.months.includes(month));
    const to = from === 0 ? 1 : 0;
    await openDialog(page, '#edit-seasons-0', '#seasons-dialog');
    // A month in two seasons is flagged and blocks Apply.
    await page.check(`#season-${to}-month-${month}`);
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.trim().length > 0, `#e-scheme-seasons-${to}-months-msg`);
    assert.ok(await page.isDisabled('#editor-apply'));
    await page.uncheck(`#season-${from}-month-${month}`);
    await page.waitForFunction(() => !document.querySelector('#editor-apply').disabled);
    await page.click('#editor-apply');
    await page.locator('#seasons-dialog').waitFor({ state: 'detached', timeout: 5_000 });
    wb.scheme.seasons[from].months = wb.scheme.seasons[from].months.filter((m) => m !== month);
    wb.scheme.seasons[to].months = [...wb.scheme.seasons[to].months, month].sort((a, b) => a - b);
    const before = score(preset('courier'), period);
    const cli = score(wb, period);
    assert.ok(Object.keys(cli).some((a) => cli[a].total !== before[a].total), 'the change matters for someone');
    await waitForCli(page, cli, 'the moved month');
    assertClean(problems);
  } finally {
    await close();
  }
});

test('bonus details: a commission tier\'s rate changes the bonus exactly as the CLI computes', async () => {
  const { page, problems, close } = await open('?lang=en&preset=ecommerce');
  try {
    const period = await page.inputValue('select#period');
    const wb = preset('ecommerce');
    const b = wb.scheme.bonus.findIndex((x) => x.kind === 'commission');
    await openDialog(page, '#edit-bonus-0', '#bonus-dialog');
    // Money is read exactly; a bad text says why and blocks Apply.
    const rate = (t) => `#e-scheme-bonus-${b}-tiers-${t}-rate`;
    await page.fill(rate(1), '8,5x');
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.trim().length > 0, `${rate(1)}-msg`);
    assert.ok(await page.isDisabled('#editor-apply'));
    for (let t = 0; t < wb.scheme.bonus[b].tiers.length; t++) {
      await page.fill(rate(t), '12.5');
      wb.scheme.bonus[b].tiers[t].rate = '12.5';
    }
    // Progressive instead of the whole amount at the tier reached.
    await page.selectOption(`#e-scheme-bonus-${b}-mode`, 'each_slice_at_its_rate');
    wb.scheme.bonus[b].mode = 'each_slice_at_its_rate';
    await page.fill(rate(1), '20');
    wb.scheme.bonus[b].tiers[1].rate = '20';
    await page.click('#editor-apply');
    await page.locator('#bonus-dialog').waitFor({ state: 'detached', timeout: 5_000 });
    const cli = score(wb, period);
    const before = score(preset('ecommerce'), period);
    assert.ok(Object.keys(cli).some((a) => cli[a].bonus !== before[a].bonus), 'the bonus changes for someone');
    await waitForCli(page, cli, 'the new tiers', { bonus: true });
    assertClean(problems);
  } finally {
    await close();
  }
});

test('raters\' scores: a new score changes the agent\'s total, as the CLI computes; empty is N/A', async () => {
  const { page, problems, close } = await open('?lang=en&preset=hotel');
  try {
    const period = await page.inputValue('select#period');
    const wb = preset('hotel');
    const i = wb.scheme.indicators.findIndex((x) => x.rule.kind === 'rating');
    const ind = wb.scheme.indicators[i].id;
    const rec = wb.records.find((r) => r.period === period && r.ratings?.[ind]);
    await openDialog(page, `#edit-scores-${i}`, '#scores-dialog');
    const cell = (k) => `#e-score-${rec.agent}-${k}`;
    // Out of the scale: flagged at the cell, Apply blocked.
    await page.fill(cell(0), String(wb.scheme.indicators[i].rule.max + 50));
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.trim().length > 0, `${cell(0)}` + ' + .field-msg');
    assert.ok(await page.isDisabled('#editor-apply'));
    await page.fill(cell(0), '60');
    await page.fill(cell(1), '');
    rec.ratings[ind][0] = 60;
    rec.ratings[ind][1] = null;
    // A fourth rater's column.
    await page.click('#rater-add');
    const n = rec.ratings[ind].length;
    await page.fill(cell(n), '70');
    for (const r of wb.records.filter((x) => x.period === period)) {
      if (!r.ratings) r.ratings = {};
      const v = r.ratings[ind] ?? [];
      while (v.length < n + 1) v.push(null);
      r.ratings[ind] = v;
    }
    rec.ratings[ind][n] = 70;
    await page.waitForFunction(() => !document.querySelector('#editor-apply').disabled);
    await page.click('#editor-apply');
    await page.locator('#scores-dialog').waitFor({ state: 'detached', timeout: 5_000 });
    const cli = score(wb, period);
    const before = score(preset('hotel'), period);
    assert.notEqual(cli[rec.agent].total, before[rec.agent].total);
    await waitForCli(page, cli, 'the new scores');
    assertClean(problems);
  } finally {
    await close();
  }
});

test('checklist items and ticks: a new item and a tick change the agent\'s total, as the CLI computes', async () => {
  const { page, problems, close } = await open('?lang=en');
  try {
    const period = await page.inputValue('select#period');
    const wb = preset('general');
    const i = wb.scheme.indicators.findIndex((x) => x.id === 'quality');
    // Make the rating a checklist in the scheme editor (its raters' scores go with the old rule).
    await page.click('#tab-scheme');
    await page.selectOption(`#f-kind-${i}`, 'checklist');
    await openDialog(page, `#edit-items-${i}`, '#items-dialog');
    await page.click('#item-add');
    const p = `#e-scheme-indicators-${i}-rule-items-1`;
    await page.locator(`${p}-id`).waitFor();
    await page.fill(`${p}-id`, 'c1');
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.trim().length > 0, `${p}-id-msg`);
    assert.ok(await page.isDisabled('#editor-apply'), 'a taken id blocks Apply');
    await page.fill(`${p}-id`, 'smile');
    await page.fill(`${p}-text`, 'Greets with a smile');
    await page.fill(`${p}-weight`, '3');
    const agent = wb.records.find((r) => r.period === period).agent;
    await page.selectOption(`#tick-${agent}-1`, 'yes');
    await page.selectOption(`#tick-${agent}-0`, 'na');
    assert.match(await page.textContent('#ticks-grid thead'), /Greets with a smile/, 'the column is named after the item as typed');
    await page.waitForFunction(() => !document.querySelector('#editor-apply').disabled);
    await page.click('#editor-apply');
    await page.locator('#items-dialog').waitFor({ state: 'detached', timeout: 5_000 });
    const ind = wb.scheme.indicators[i];
    ind.rule = { kind: 'checklist', items: [{ id: 'c1', text: '', weight: 1 }, { id: 'smile', text: 'Greets with a smile', weight: 3 }] };
    for (const r of wb.records) if (r.ratings) delete r.ratings.quality;
    wb.records.find((r) => r.period === period && r.agent === agent).checks = { quality: { smile: 'yes', c1: 'na' } };
    const cli = score(wb, period);
    await waitForCli(page, cli, 'the checklist');
    assertClean(problems);
  } finally {
    await close();
  }
});

test('categories and grades: removing a category in use is refused by name; a category floor and a quota apply, as the CLI computes', async () => {
  const { page, problems, close } = await open('?lang=en&preset=courier');
  try {
    const period = await page.inputValue('select#period');
    const wb = preset('courier');
    await openDialog(page, '#edit-grades-0', '#grades-dialog');
    await page.click('#category-remove-0');
    const note = await page.textContent('#editor-note');
    const users = wb.scheme.indicators.filter((x) => x.category === wb.scheme.categories[0].id).map((x) => x.name || x.id);
    assert.match(note, /Cannot remove/);
    for (const u of users) assert.ok(note.includes(u), `the refusal names ${u}: ${note}`);
    assert.equal(await page.locator('[data-category]').count(), wb.scheme.categories.length, 'nothing was removed');
    // A floor above the cap is an error at the floor.
    const c = 0;
    await page.fill(`#e-scheme-categories-${c}-cap`, '10');
    await page.fill(`#e-scheme-categories-${c}-floor`, '20');
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.trim().length > 0, `#e-scheme-categories-${c}-floor-msg`);
    assert.ok(await page.isDisabled('#editor-apply'));
    await page.fill(`#e-scheme-categories-${c}-cap`, '');
    await page.fill(`#e-scheme-categories-${c}-floor`, '38');
    wb.scheme.categories[c].floor = 38;
    delete wb.scheme.categories[c].cap;
    await page.click('#quota-add');
    await page.locator('#e-scheme-grades-quotas-0-max_percent').waitFor();
    await page.fill('#e-scheme-grades-quotas-0-max_percent', '10');
    wb.scheme.grades.quotas = [{ grade: wb.scheme.grades.bands[0].grade, max_percent: 10 }];
    await page.waitForFunction(() => !document.querySelector('#editor-apply').disabled);
    await page.click('#editor-apply');
    await page.locator('#grades-dialog').waitFor({ state: 'detached', timeout: 5_000 });
    await waitForCli(page, score(wb, period), 'the category floor');
    assertClean(problems);
  } finally {
    await close();
  }
});

test('Ctrl+Z inside a dialog does not undo the page\'s edits underneath', async () => {
  const { page, problems, close } = await open('?lang=en');
  try {
    await page.click('#tab-scheme');
    const before = await table(page);
    await page.fill('#f-scheme-indicators-0-weight', '33');
    const deadline = Date.now() + 10_000;
    while (JSON.stringify(await table(page)) === JSON.stringify(before)) {
      if (Date.now() > deadline) assert.fail('the weight edit did not rescore');
      await page.waitForTimeout(50);
    }
    const edited = await table(page);
    await openDialog(page, '#edit-metrics-0', '#metrics-dialog');
    await page.fill('#e-scheme-metrics-0-name', 'Typed here');
    await page.focus('#e-scheme-metrics-0-name');
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+Shift+z');
    await page.waitForTimeout(200);
    assert.deepEqual(await table(page), edited, 'the page did not undo under the dialog');
    await page.click('#editor-cancel');
    await page.locator('#metrics-dialog').waitFor({ state: 'detached', timeout: 5_000 });
    assert.equal(await page.inputValue('#f-scheme-indicators-0-weight'), '33');
    // Outside the dialog Ctrl+Z is the page's undo again.
    await page.click('#results caption');
    await page.keyboard.press('Control+z');
    await page.waitForFunction((t) => document.querySelector('#f-scheme-indicators-0-weight')?.value !== '33', null, { timeout: 5_000 });
    assertClean(problems);
  } finally {
    await close();
  }
});
