#!/usr/bin/env node
// Browser benchmark: time from navigation to results visible, for the release build in
// dist/, in headless Chromium on this machine.
//
// Each run is a cold load: a fresh browser context (empty cache and storage) and a static
// server that sends Cache-Control: no-store. "Results visible" is the moment
// document.documentElement.dataset.ready === "1" and table#results is rendered, recorded
// inside the page by a MutationObserver as performance.now() (ms since navigation start).
// The first, warm-up load is not counted. Prints every run, then min / median / mean / max.
//
// Usage: node bench/load-time.mjs [--runs 10] [--dist dist] [--json target/bench-load.json]

import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DIST, launchBrowser, startStaticServer, smokeCheck, assertDistBuilt } from '../tests/browser/harness.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const runs = Math.max(1, Number(opt('runs', process.env.BENCH_RUNS || 10)));
const dist = path.resolve(opt('dist', DIST));
const jsonOut = opt('json', null);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function main() {
  assertDistBuilt(dist);
  const browser = await launchBrowser();
  const server = await startStaticServer({ root: dist });
  const times = [];
  try {
    const warm = await smokeCheck(browser, server.url);
    if (warm.problems.length) throw new Error(`the app does not load cleanly:\n  ${warm.problems.join('\n  ')}`);
    for (let i = 0; i < runs; i++) {
      const r = await smokeCheck(browser, server.url); // fresh context each time
      if (r.problems.length || r.readyMs == null) throw new Error(`run ${i + 1} failed:\n  ${r.problems.join('\n  ')}`);
      times.push(r.readyMs);
      console.log(`  run ${String(i + 1).padStart(2)}: ${r.readyMs.toFixed(1)} ms`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const summary = {
    runs,
    minMs: Math.min(...times),
    medianMs: median(times),
    meanMs: times.reduce((a, b) => a + b, 0) / times.length,
    maxMs: Math.max(...times),
    machine: `${os.cpus().length} x ${os.cpus()[0]?.model?.trim() || 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}`,
  };
  console.log(`navigation -> results visible (${runs} cold loads, fresh context each, headless Chromium): ` +
    `median ${summary.medianMs.toFixed(1)} ms (min ${summary.minMs.toFixed(1)}, mean ${summary.meanMs.toFixed(1)}, max ${summary.maxMs.toFixed(1)})`);
  console.log(`machine: ${summary.machine}`);
  if (jsonOut) {
    await fsp.mkdir(path.dirname(path.resolve(jsonOut)), { recursive: true });
    await fsp.writeFile(jsonOut, JSON.stringify({ times, ...summary }, null, 2) + '\n');
  }
}

main().catch((err) => {
  console.error(`load-time bench: ${err.message}`);
  process.exit(1);
});
