#!/usr/bin/env node
// Writes <meta name="NAME" content="PATH"> into an index.html (replacing an earlier one):
// where the page finds a module it loads later (see scripts/build-extras.sh):
// `scorecard-app` (the full app) and `scorecard-extras` (the on-demand module).
// Usage: node scripts/extras-meta.mjs path/to/index.html NAME dir-<hash>/NAME.js
import fs from 'node:fs';

const [file, name, target] = process.argv.slice(2);
if (!file || !/^scorecard-[a-z]+$/.test(name || '') || !target || !/^[\w./-]+$/.test(target)) {
  console.error('usage: node scripts/extras-meta.mjs INDEX_HTML NAME RELATIVE_PATH');
  process.exit(2);
}
let html = fs.readFileSync(file, 'utf8');
html = html.replace(new RegExp(`\\s*<meta name="${name}"[^>]*>`, 'g'), '');
const meta = `<meta name="${name}" content="${target}" />`;
if (!/<\/head>/i.test(html)) {
  console.error(`extras-meta: no </head> in ${file}`);
  process.exit(1);
}
html = html.replace(/<\/head>/i, `  ${meta}\n  </head>`);
fs.writeFileSync(file, html);
