#!/usr/bin/env node
// Browser benchmark: from a keystroke in the data grid to updated results, for the
// release build in dist/, in headless Chromium on this machine.
//
// The app opens a generated workbook when the address says `?bench=<agents>x<indicators>`
// (src/app/bench.rs: one input metric per indicator, a mix of target, bands,
// per-occurrence, linear and rank rules, grades, a grade-coefficient bonus and a pool
// split, one period). For each size the script opens the page, waits for the results,
// then repeatedly types a new figure into one agent's cell — sets the input's value and
// fires the `input` event the browser fires for a keystroke — and measures, inside the
// page with performance.now():
//   - "results updated": until the DOM holds the new results. The app notes the time
//     (`data-updated-at` on <html>) in a microtask queued after the effects the edit
//     started, i.e. when Leptos has finished updating the DOM; the script reads it at
//     the next task and checks that the agent's total on screen really changed. The
//     agent is a1, whom the generator makes clearly the best, so their row stays among
//     the first rows of the results (above 100 agents only the first 100 result rows
//     and one page of 100 grid rows are in the DOM; all agents are scored and ranked);
//   - "next frame": until the frame after that (requestAnimationFrame), for reference.
// The first runs are warm-up and not counted. Prints every size's median, min and max.
//
// Usage: node bench/edit-latency.mjs [--sizes 50x20,2000x20] [--runs 30] [--dist dist] [--json out.json]
// Targets (issue 4): median ≤ 16 ms at 50 × 20, ≤ 100 ms at 2,000 × 20.

import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DIST, launchBrowser, startStaticServer, openPage, assertDistBuilt } from '../tests/browser/harness.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const sizes = opt('sizes', '50x20,2000x20').split(',');
const runs = Math.max(3, Number(opt('runs', 30)));
const warmup = 5;
const dist = path.resolve(opt('dist', DIST));
const jsonOut = opt('json', null);
const TARGETS = { '50x20': 16, '2000x20': 100 };

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return { median: s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2, min: s[0], max: s[s.length - 1] };
};

// Runs inside the page: one keystroke, timed.
async function keystroke({ agent, key, value }) {
  const input = document.querySelector(`#grid input[data-agent="${agent}"][data-key="${key}"]`);
  const total = document.querySelector(`#results tr[data-agent="${agent}"] [data-col="total"]`);
  if (!input || !total) return { error: `no cell for ${agent}/${key}` };
  const before = total.textContent;
  const macrotask = () => new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(0);
  });
  input.focus();
  const root = document.documentElement;
  const mark = root.dataset.updatedAt;
  const t0 = performance.now();
  input.value = String(value);
  input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: String(value).slice(-1) }));
  await macrotask();
  // The app notes the time once the effects of the edit have run (a microtask queued
  // after them); without that note, the time the next task started.
  const t1 = root.dataset.updatedAt !== mark ? Number(root.dataset.updatedAt) : performance.now();
  const changed = total.textContent !== before;
  await new Promise((r) => requestAnimationFrame(() => r()));
  const t2 = performance.now();
  return { updated: t1 - t0, frame: t2 - t0, changed, before, after: total.textContent };
}

async function measure(browser, server, size) {
  const t = Date.now();
  const { page, problems, close } = await openPage(browser, `${server.url}?bench=${size}&lang=en`, { gotoTimeout: 120_000 });
  try {
    await page.waitForFunction(() => document.documentElement.dataset.ready === '1' && document.querySelectorAll('#results tbody tr').length > 0, null, { timeout: 300_000 });
    const loadMs = Date.now() - t;
    const rows = await page.locator('#results tbody tr').count();
    const cells = await page.locator('#grid input.cell').count();
    const times = [];
    const frames = [];
    for (let i = 0; i < warmup + runs; i++) {
      // m1 is a target rule (10 points × value / 100, capped at 120 %): every new value
      // changes a1's total (and the pool split moves everyone's bonus).
      const r = await page.evaluate(keystroke, { agent: 'a1', key: 'm1', value: 5 + ((i * 37) % 110) });
      if (r.error) throw new Error(r.error);
      if (!r.changed) throw new Error(`run ${i + 1}: the total did not change (${r.before} → ${r.after})`);
      if (i >= warmup) {
        times.push(r.updated);
        frames.push(r.frame);
      }
    }
    if (problems.length) throw new Error(`the page reported problems:\n  ${problems.join('\n  ')}`);
    return { size, rows, cells, loadMs, updated: stats(times), frame: stats(frames), times };
  } finally {
    await close();
  }
}

async function main() {
  assertDistBuilt(dist);
  const browser = await launchBrowser();
  if (!browser) throw new Error('no browser available');
  const server = await startStaticServer({ root: dist });
  const results = [];
  try {
    for (const size of sizes) {
      const r = await measure(browser, server, size);
      results.push(r);
      const target = TARGETS[size];
      const verdict = target ? (r.updated.median <= target ? `within the ${target} ms target` : `OVER the ${target} ms target`) : '';
      console.log(
        `${size.padEnd(9)} ${String(r.rows).padStart(5)} result rows, ${String(r.cells).padStart(6)} grid inputs, loaded in ${r.loadMs} ms: ` +
          `keystroke → results updated median ${r.updated.median.toFixed(1)} ms (min ${r.updated.min.toFixed(1)}, max ${r.updated.max.toFixed(1)}); ` +
          `→ next frame median ${r.frame.median.toFixed(1)} ms  ${verdict}`,
      );
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const machine = `${os.cpus().length} x ${os.cpus()[0]?.model?.trim() || 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}`;
  console.log(`${runs} timed keystrokes per size after ${warmup} warm-up; headless Chromium; machine: ${machine}`);
  if (jsonOut) {
    await fsp.mkdir(path.dirname(path.resolve(jsonOut)), { recursive: true });
    await fsp.writeFile(jsonOut, JSON.stringify({ runs, warmup, machine, results }, null, 2) + '\n');
  }
  if (results.some((r) => TARGETS[r.size] && r.updated.median > TARGETS[r.size])) process.exitCode = 1;
}

main().catch((err) => {
  console.error(`edit-latency bench: ${err.message}`);
  process.exit(1);
});
