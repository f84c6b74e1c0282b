#!/usr/bin/env node
// The README screenshot: the release build in dist/, the general template in Chinese,
// one agent's explanation open. Usage: node scripts/screenshot.mjs [out.png] [--lang en]
import path from 'node:path';
import { DIST, REPO, launchBrowser, startStaticServer, openPage } from '../tests/browser/harness.mjs';

const args = process.argv.slice(2);
const out = path.resolve(args.find((a) => a.endsWith('.png')) || path.join(REPO, 'docs', 'screenshot.png'));
const lang = args.includes('--lang') ? args[args.indexOf('--lang') + 1] : 'zh-CN';
const server = await startStaticServer({ root: DIST });
const browser = await launchBrowser();
try {
  const { page, problems, close } = await openPage(browser, `${server.url}?lang=${lang}`, { viewport: { width: 1280, height: 1000 } });
  await page.waitForFunction(() => document.documentElement.dataset.ready === '1', null, { timeout: 30000 });
  const first = page.locator('#results tbody tr[data-agent] button').first();
  if (await first.count()) await first.click();
  await page.waitForTimeout(300);
  await page.screenshot({ path: out, fullPage: false });
  console.log(`screenshot: ${out}${problems.length ? ` (page problems: ${problems.join('; ')})` : ''}`);
  await close();
} finally {
  await browser.close();
  await server.close();
}
