// Browser tests of the app itself (issue 4): the release build in dist/, headless
// Chromium, via the shared harness. Expected numbers come from the native CLI
// (`scorecard preset …` / `scorecard score …`) on a workbook changed the same way the
// test changes it in the page, or from the totals the page showed before a change.
// Every test also asserts that the page logged no console error, page error, CSP
// violation or failed request.
//
// Hooks used: `?lang=en` (interface language), `?preset=courier` (open a template).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { servedDist, openReady, assertClean, cliPreset, cliScore, compareAgents } from './harness.mjs';

const env = servedDist();

// ---------------------------------------------------------------- helpers

const preset = cliPreset;

/** The CLI's results for a workbook object: { period id → { agent id → agent result } , order }. */
function score(workbook) {
  const periods = {};
  for (const p of cliScore(workbook).periods) {
    periods[p.period] = { order: p.agents.map((a) => a.agent), agents: Object.fromEntries(p.agents.map((a) => [a.agent, a])) };
  }
  return periods;
}

/** "−1,234.5" / "+3" / "¥6,713.83" / "↑2" → number. */
function num(text) {
  const t = String(text).trim();
  if (t.startsWith('↑')) return Number(t.slice(1));
  if (t.startsWith('↓')) return -Number(t.slice(1));
  return Number(t.replace(/−/g, '-').replace(/[+¥,\s]/g, ''));
}

const open = (pathAndQuery = '?lang=en', viewport) => openReady(env.browser, env.server.url + pathAndQuery, viewport ? { viewport } : undefined);

/** The results table as the page shows it: [{ agent, rank, total, grade, bonus, cells }] in row order. */
async function table(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('#results tbody tr')].map((tr) => {
      const cell = (c) => tr.querySelector(`[data-col="${c}"]`)?.textContent ?? null;
      return {
        agent: tr.dataset.agent,
        rank: tr.cells[0].textContent,
        total: cell('total'),
        grade: cell('grade'),
        bonus: cell('bonus'),
        dTotal: cell('d-total'),
        dRank: cell('d-rank'),
        dBonus: cell('d-bonus'),
      };
    }),
  );
}

function byAgent(rows) {
  return Object.fromEntries(rows.map((r) => [r.agent, r]));
}

/** Waits until `fn(rows)` holds for the results table (the update is asynchronous). */
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

/** Whether the rows show the CLI's totals (for waiting on an update). */
function totalsMatch(rows, cli) {
  return rows.length === cli.order.length && rows.every((r) => cli.agents[r.agent] && Math.abs(num(r.total) - cli.agents[r.agent].total) < 0.006);
}

function assertMatchesCli(rows, cli, label) {
  assert.equal(compareAgents(rows.map((r) => r.agent), cli.order), null, `${label}: agents differ from the CLI`);
  assert.deepEqual(rows.map((r) => r.agent), cli.order, `${label}: rank order differs from the CLI`);
  for (const r of rows) {
    const c = cli.agents[r.agent];
    assert.ok(Math.abs(num(r.total) - c.total) < 0.005 + 1e-9, `${label}: ${r.agent} total ${r.total} vs CLI ${c.total}`);
    assert.equal(Number(r.rank), c.rank, `${label}: ${r.agent} rank`);
    assert.equal(r.grade, c.grade ?? '—', `${label}: ${r.agent} grade`);
    assert.equal(num(r.bonus), Number(c.bonus), `${label}: ${r.agent} bonus ${r.bonus} vs CLI ${c.bonus}`);
  }
}

// ---------------------------------------------------------------- tests

test('first open shows results for every sample agent, as the CLI computes them', async () => {
  const { page, problems, close } = await open();
  try {
    const period = await page.inputValue('select#period');
    const cli = score(preset('general'))[period];
    assert.ok(cli, `the CLI has no period ${period}`);
    const rows = await table(page);
    assertMatchesCli(rows, cli, 'first open');
    assert.match(rows[0].bonus, /^¥\d{1,3}(,\d{3})*\.\d\d$/, 'money is formatted like ¥1,234.50');
    // A caption, the team row (mean, median), and one template button per preset.
    assert.ok((await page.textContent('#results caption')).includes(String(rows.length)));
    assert.equal(await page.locator('#results tfoot tr.team').count(), 2);
    assert.equal(await page.locator('button.template').count(), 4);
    // The explanation behind an agent's points opens from the row.
    await page.click(`#results tr[data-agent="${rows[0].agent}"] button.agent-link`);
    const lines = await page.locator('#explain li').count();
    assert.ok(lines >= 6, `expected explanation lines, got ${lines}`);
    assertClean(problems);
  } finally {
    await close();
  }
});

test('editing one figure changes that agent’s total and the ranking; undo restores it', async () => {
  const { page, problems, close } = await open();
  try {
    const period = await page.inputValue('select#period');
    const before = await table(page);
    // a2 (4th) overtakes a4 (3rd) with a better satisfaction score.
    const wb = preset('general');
    const rec = wb.records.find((r) => r.agent === 'a2' && r.period === period);
    rec.figures.csat = 95;
    const cli = score(wb)[period];
    assert.notEqual(cli.agents.a2.rank, byAgent(before).a2.rank, 'the test edit should change a2’s rank');

    const cell = page.locator('#grid input[data-agent="a2"][data-key="csat"]');
    await cell.fill('95');
    const after = await waitForTable(page, (rows) => byAgent(rows).a2.total !== byAgent(before).a2.total, 'a2’s total to change');
    assertMatchesCli(after, cli, 'after the edit');
    assert.ok(after.findIndex((r) => r.agent === 'a2') < before.findIndex((r) => r.agent === 'a2'), 'a2 moved up');

    // Ctrl+Z brings back the figure and the results.
    await page.keyboard.press('Control+z');
    await waitForTable(page, (rows) => byAgent(rows).a2.total === byAgent(before).a2.total, 'undo');
    assert.deepEqual(await table(page), before);
    assert.notEqual(await cell.inputValue(), '95');
    await page.keyboard.press('Control+Shift+z');
    await waitForTable(page, (rows) => byAgent(rows).a2.total === byAgent(after).a2.total, 'redo');

    // Text that is not a number: the field says so and the results are marked out of date.
    await cell.fill('abc');
    await page.waitForSelector('#stale');
    assert.equal(await cell.getAttribute('aria-invalid'), 'true');
    await cell.fill('95');
    await page.waitForSelector('#stale', { state: 'detached' });
    assertClean(problems);
  } finally {
    await close();
  }
});

test('changing a weight updates the totals; normalise makes the weights total 100 %', async () => {
  const { page, problems, close } = await open();
  try {
    const period = await page.inputValue('select#period');
    const before = await table(page);
    await page.click('#tab-scheme');
    const weight0 = page.locator('input.weight-number[data-indicator="0"]');
    await weight0.fill('30');
    const wb = preset('general');
    wb.scheme.indicators[0].weight = 30;
    const cli = score(wb)[period];
    const after = await waitForTable(page, (rows) => byAgent(rows).a1.total !== byAgent(before).a1.total, 'totals to change');
    assertMatchesCli(after, cli, 'weight 30');
    assert.equal(await page.getAttribute('#weights-total', 'data-total'), '115');
    // The validation warning about the weights is listed above the table.
    assert.ok((await page.textContent('#warnings')).includes('115%'));

    // The slider rescores while dragging (input events).
    await page.locator('input.weight-range[data-indicator="1"]').evaluate((el) => {
      el.value = '40';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    wb.scheme.indicators[1].weight = 40;
    const cli2 = score(wb)[period];
    const dragged = await waitForTable(page, (rows) => totalsMatch(rows, cli2), 'the slider to rescore');
    assertMatchesCli(dragged, cli2, 'slider at 40');
    assert.equal(await page.getAttribute('#weights-total', 'data-total'), '135');

    await page.click('#normalise');
    await page.waitForFunction(() => document.querySelector('#weights-total')?.dataset.total === '100');
    const weights = await page.locator('input.weight-number').evaluateAll((els) => els.map((e) => Number(e.value)));
    assert.equal(Math.round(weights.reduce((a, b) => a + b, 0) * 100), 10000, `weights ${weights}`);
    assert.ok(weights.every((w) => Math.round(w * 100) === w * 100), 'two decimals at most');
    assert.equal(await page.isDisabled('#normalise'), true);
    assertClean(problems);
  } finally {
    await close();
  }
});

test('a band table edited to leave a gap shows the warning', async () => {
  const { page, problems, close } = await open('?preset=courier&lang=en');
  try {
    await page.click('#tab-scheme');
    // Indicator 0 (calls), first table, second band: 1100 ≤ x < 1150 → 1120 ≤ x < 1150.
    const min = page.locator('#f-scheme-indicators-0-rule-tables-0-bands-1-min');
    assert.equal(await min.inputValue(), '1100');
    assert.equal(await page.locator('fieldset[data-indicator="0"] table.bands').first().locator('select').first().inputValue(), 'ge');
    await min.fill('1120');
    const msg = page.locator('[data-place="scheme.indicators[0].rule.tables[0].bands"]');
    await page.waitForFunction(() => /gap/.test(document.querySelector('[data-place="scheme.indicators[0].rule.tables[0].bands"]')?.textContent || ''));
    assert.match(await msg.textContent(), /1100.*1120/);
    const warnings = await page.locator('#warnings li').allTextContents();
    assert.ok(warnings.some((w) => /gap/.test(w) && /1120/.test(w)), `warnings: ${warnings.join(' | ')}`);
    // Changing the edge to "x > 1100" elsewhere: the ≥/> choice is a real setting.
    await min.fill('1100');
    await page.waitForFunction(() => !/gap/.test(document.querySelector('[data-place="scheme.indicators[0].rule.tables[0].bands"]')?.textContent || ''));
    await page.locator('fieldset[data-indicator="0"] table.bands').first().locator('tr[data-band="1"] select').first().selectOption('gt');
    await page.waitForFunction(() => /gap/.test(document.querySelector('[data-place="scheme.indicators[0].rule.tables[0].bands"]')?.textContent || ''));
    assertClean(problems);
  } finally {
    await close();
  }
});

test('pin baseline, change a weight: the Δ columns show the right values', async () => {
  const { page, problems, close } = await open();
  try {
    const period = await page.inputValue('select#period');
    const before = byAgent(await table(page));
    await page.click('#pin-baseline');
    await page.waitForSelector('#results th[data-col="d-total"]');
    let rows = await table(page);
    assert.ok(rows.every((r) => r.dTotal === '0' && r.dRank === '0' && r.dBonus === '¥0.00'), JSON.stringify(rows));
    assert.equal(await page.getAttribute('#grade-changes', 'data-count'), '0');

    await page.click('#tab-scheme');
    await page.locator('input.weight-number[data-indicator="0"]').fill('5');
    rows = await waitForTable(page, (rs) => rs.some((r) => r.dTotal !== '0'), 'Δ to appear');
    const wb = preset('general');
    wb.scheme.indicators[0].weight = 5;
    const cli = score(wb)[period];
    assertMatchesCli(rows, cli, 'weight 5');
    let gradeChanges = 0;
    for (const r of rows) {
      const b = before[r.agent];
      const c = cli.agents[r.agent];
      assert.ok(Math.abs(num(r.dTotal) - (c.total - num(b.total))) < 0.006, `${r.agent} Δ total ${r.dTotal} vs ${c.total} − ${b.total}`);
      assert.equal(num(r.dRank), Number(b.rank) - c.rank, `${r.agent} Δ rank ${r.dRank}`);
      assert.ok(Math.abs(num(r.dBonus) - (Number(c.bonus) - num(b.bonus))) < 0.0001, `${r.agent} Δ bonus ${r.dBonus}`);
      if ((c.grade ?? '—') !== b.grade) gradeChanges += 1;
    }
    assert.equal(Number(await page.getAttribute('#grade-changes', 'data-count')), gradeChanges);
    // Sorting by Δ total puts the biggest gain first.
    await page.click('#results th[data-col="d-total"] button');
    const sorted = await table(page);
    assert.equal(await page.getAttribute('#results th[data-col="d-total"]', 'aria-sort'), 'descending');
    assert.ok(sorted.every((r, i) => i === 0 || num(sorted[i - 1].dTotal) >= num(r.dTotal)), JSON.stringify(sorted.map((r) => r.dTotal)));
    assertClean(problems);
  } finally {
    await close();
  }
});

test('switching language changes the interface text and keeps the data', async () => {
  const { page, problems, close, context } = await open();
  try {
    assert.equal(await page.textContent('h1'), 'KPI Scorecard');
    // An edit first, so there is data of the person's own to keep.
    await page.locator('#grid input[data-agent="a3"][data-key="csat"]').fill('99');
    await page.locator('#grid input[data-agent="a3"][data-key="csat"]').press('Tab');
    const rows = await waitForTable(page, (rs) => rs.some((r) => r.agent === 'a3'), 'rows');
    const enAgentName = await page.locator('#results tr[data-agent="a3"] button.agent-link').textContent();
    const en = await table(page);
    await page.selectOption('#lang', 'zh-CN');
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === '客服绩效计分卡');
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.match(await page.textContent('#results caption'), /考核结果/);
    assert.equal(await page.textContent('#tab-data'), '数据');
    const zh = await table(page);
    assert.deepEqual(zh.map((r) => [r.agent, r.total, r.bonus]), en.map((r) => [r.agent, r.total, r.bonus]));
    assert.equal(await page.locator('#grid input[data-agent="a3"][data-key="csat"]').inputValue(), '99');
    // Users' own text is never translated.
    assert.equal(await page.locator('#results tr[data-agent="a3"] button.agent-link').textContent(), enAgentName);
    assert.ok(rows.length > 0);
    // Remembered: a new page in the same browser profile opens in Chinese …
    assert.equal(await page.evaluate(() => localStorage.getItem('kpi-scorecard.lang')), 'zh-CN');
    const again = await context.newPage();
    await again.goto(env.server.url);
    await again.waitForFunction(() => document.documentElement.dataset.ready === '1');
    assert.equal(await again.textContent('h1'), '客服绩效计分卡');
    // … unless the address says otherwise.
    await again.goto(env.server.url + '?lang=en');
    await again.waitForFunction(() => document.documentElement.dataset.ready === '1');
    assert.equal(await again.textContent('h1'), 'KPI Scorecard');
    assertClean(problems);
  } finally {
    await close();
  }
});

test('pasting a tab-separated block fills the grid from the focused cell', async () => {
  const { page, problems, close } = await open();
  try {
    const period = await page.inputValue('select#period');
    const before = byAgent(await table(page));
    const start = page.locator('#grid input[data-agent="a2"][data-key="tickets"]');
    await start.focus();
    // As Excel/WPS put it on the clipboard: CRLF, trailing line break, 1,459, 92.5%, blanks.
    const block = '1,459\t1,400\t92.5%\r\n900\t\t\r\n';
    await start.evaluate((el, text) => {
      const dt = new DataTransfer();
      dt.setData('text/plain', text);
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, block);
    const val = (agent, key) => page.locator(`#grid input[data-agent="${agent}"][data-key="${key}"]`).inputValue();
    await page.waitForFunction(() => document.querySelector('#grid input[data-agent="a2"][data-key="tickets"]').value === '1459');
    assert.equal(await val('a2', 'tickets'), '1459');
    assert.equal(await val('a2', 'solved'), '1400');
    assert.equal(await val('a2', 'csat'), '92.5');
    assert.equal(await val('a3', 'tickets'), '900');
    assert.equal(await val('a3', 'solved'), '');
    assert.equal(await val('a3', 'csat'), '');
    // The results follow, as the CLI computes them for the same figures.
    const wb = preset('general');
    const a2 = wb.records.find((r) => r.agent === 'a2' && r.period === period).figures;
    Object.assign(a2, { tickets: 1459, solved: 1400, csat: 92.5 });
    const a3 = wb.records.find((r) => r.agent === 'a3' && r.period === period).figures;
    a3.tickets = 900;
    delete a3.solved;
    delete a3.csat;
    const cli = score(wb)[period];
    const rows = await waitForTable(page, (rs) => byAgent(rs).a3.total !== before.a3.total, 'results after the paste');
    assertMatchesCli(rows, cli, 'after the paste');
    // Arrow keys and Enter move between cells.
    await page.locator('#grid input[data-agent="a2"][data-key="tickets"]').focus();
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.agent + '/' + document.activeElement.dataset.key), 'a3/tickets');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.agent), 'a4');
    // The whole paste is one undo step.
    await page.keyboard.press('Control+z');
    await page.waitForFunction(() => document.querySelector('#grid input[data-agent="a2"][data-key="tickets"]').value !== '1459');
    assert.notEqual(await val('a3', 'solved'), '');
    assertClean(problems);
  } finally {
    await close();
  }
});

test('the template chooser opens another template, and undo brings the first back', async () => {
  const { page, problems, close } = await open();
  try {
    const general = await table(page);
    await page.click('button.template[data-preset="hotel"]');
    const hotel = preset('hotel');
    const period = hotel.periods[hotel.periods.length - 1].id;
    await page.waitForFunction((p) => document.querySelector('select#period')?.value === p, period);
    const cli = score(hotel)[period];
    const rows = await waitForTable(page, (rs) => totalsMatch(rs, cli), 'the hotel results');
    assertMatchesCli(rows, cli, 'hotel');
    await page.click('#undo');
    await waitForTable(page, (rs) => JSON.stringify(rs) === JSON.stringify(general), 'the general results again');
    assertClean(problems);
  } finally {
    await close();
  }
});

test('agents are added, renamed and removed (with confirmation); a new period has the last period’s agents', async () => {
  const { page, problems, close } = await open();
  try {
    const before = await table(page);
    await page.fill('#new-agent', 'Zoe Test');
    await page.click('#add-agent');
    await waitForTable(page, (rs) => rs.length === before.length + 1, 'the new agent’s row');
    const added = (await table(page)).find((r) => !before.some((b) => b.agent === r.agent));
    assert.ok(added, 'a new row');
    assert.equal(await page.locator(`#results tr[data-agent="${added.agent}"] button.agent-link`).textContent(), 'Zoe Test');
    // Her figures can be typed at once.
    assert.equal(await page.locator(`#grid input[data-agent="${added.agent}"]`).count() > 0, true);
    // Rename.
    const name = page.locator(`#grid tr[data-agent="${added.agent}"] input.agent-name`);
    await name.fill('Zoë Renamed');
    await name.press('Enter');
    await name.evaluate((el) => el.dispatchEvent(new Event('change', { bubbles: true })));
    await page.waitForFunction((a) => document.querySelector(`#results tr[data-agent="${a}"] button.agent-link`)?.textContent === 'Zoë Renamed', added.agent);
    // Remove: the first click only asks.
    await page.click(`#grid tr[data-agent="${added.agent}"] td.actions button`);
    assert.equal(await page.locator(`#results tr[data-agent="${added.agent}"]`).count(), 1, 'not removed before confirming');
    await page.click(`#confirm-${added.agent}`);
    await waitForTable(page, (rs) => rs.length === before.length, 'the row to go');
    assert.equal(await page.locator(`#grid tr[data-agent="${added.agent}"]`).count(), 0);
    // A new period after the last one, with the same agents.
    const periods = await page.locator('select#period option').count();
    await page.click('#add-period');
    await page.waitForFunction((n) => document.querySelectorAll('select#period option').length === n + 1, periods);
    assert.equal(await page.inputValue('select#period'), '2026-11');
    const rows = await table(page);
    assert.deepEqual(rows.map((r) => r.agent).sort(), before.map((r) => r.agent).sort());
    // Going back to the previous period shows its results again.
    await page.selectOption('select#period', '2026-10');
    await waitForTable(page, (rs) => JSON.stringify(rs) === JSON.stringify(before), 'October again');
    assertClean(problems);
  } finally {
    await close();
  }
});

test('an invalid scheme value: the field says why and the last results stay, marked out of date', async () => {
  const { page, problems, close } = await open();
  try {
    const before = await table(page);
    await page.click('#tab-scheme');
    const target = page.locator('#f-scheme-indicators-0-rule-target');
    await target.fill('-5');
    await page.waitForSelector('#stale');
    assert.equal(await target.getAttribute('aria-invalid'), 'true');
    assert.match(await page.textContent('#f-scheme-indicators-0-rule-target-msg'), /between 0/);
    assert.deepEqual(await table(page), before, 'the last valid results stay');
    assert.equal(await page.isDisabled('#pin-baseline'), true);
    await target.fill('30');
    await page.waitForSelector('#stale', { state: 'detached' });
    assert.equal(await target.getAttribute('aria-invalid'), null);
    assertClean(problems);
  } finally {
    await close();
  }
});

test('works at 375 px wide: no horizontal scrolling of the page, results reachable', async () => {
  const { page, problems, close } = await open('?lang=zh-CN', { width: 375, height: 800 });
  try {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px at 375px`);
    assert.ok(await page.locator('table#results').isVisible());
    assertClean(problems);
  } finally {
    await close();
  }
});
