#!/usr/bin/env node
// Writes <meta name="scorecard-extras" content="PATH"> into an index.html (replacing an
// earlier one): where the page finds the on-demand module (see scripts/build-extras.sh).
// Usage: node scripts/extras-meta.mjs path/to/index.html extras-<hash>/scorecard-extras.js
import fs from 'node:fs';

const [file, target] = process.argv.slice(2);
if (!file || !target || !/^[\w./-]+$/.test(target)) {
  console.error('usage: node scripts/extras-meta.mjs INDEX_HTML RELATIVE_PATH');
  process.exit(2);
}
let html = fs.readFileSync(file, 'utf8');
html = html.replace(/\s*<meta name="scorecard-extras"[^>]*>/g, '');
const meta = `<meta name="scorecard-extras" content="${target}" />`;
if (!/<\/head>/i.test(html)) {
  console.error(`extras-meta: no </head> in ${file}`);
  process.exit(1);
}
html = html.replace(/<\/head>/i, `  ${meta}\n  </head>`);
fs.writeFileSync(file, html);
