#!/usr/bin/env node
// Trunk post_build hook (see Trunk.toml): make the page's Content-Security-Policy allow the
// inline scripts Trunk injects, by hash, without 'unsafe-inline' or 'unsafe-eval'.
//
// Why: Trunk 0.21 loads the app with an inline <script type="module"> (import init from
// './scorecard-web-<hash>.js'; await init(...)), and `trunk serve` adds an inline
// autoreload script. index.html carries a strict CSP <meta> whose script-src has no
// 'unsafe-inline', so those scripts would be blocked. The script's text names the hashed
// file names, so its sha256 changes with every build: this hook runs after Trunk has written
// (and, if configured, minified) the HTML into its staging folder and before Trunk moves it
// into dist/, so the hash always matches the bytes that ship. It runs for `trunk build` and
// for every rebuild of `trunk serve` alike. (Trunk.toml sets serve.no_autoreload: `trunk
// serve` writes the request's Host into its autoreload script on every response, after this
// hook, so no hash could allow that script. The hook warns if it ever sees one.)
//
// What it does to <staging>/index.html:
//   - finds the CSP <meta http-equiv="Content-Security-Policy"> (fails the build if absent:
//     a build must never silently ship without its CSP);
//   - computes 'sha256-…' of the text of every inline <script> (no src) and adds them to
//     script-src, and likewise every inline <style> to style-src (none today);
//   - drops 'sha256-…' sources it added on an earlier run, so running it twice is harmless;
//   - refuses 'unsafe-eval' and 'unsafe-inline' in script-src.
//
// Usage: node scripts/csp-hash.mjs [path/to/index.html]
//   (default: $TRUNK_STAGING_DIR/index.html, as Trunk's hook environment provides)
// Exports inlineHashes() and applyCspHashes() for the tests.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const META_RE = /<meta\b[^>]*\bhttp-equiv\s*=\s*(["']?)Content-Security-Policy\1[^>]*>/gi;
const CONTENT_RE = /\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)')/i;

function sha256(text) {
  return `'sha256-${crypto.createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** Hash sources for the inline scripts and styles of `html`. */
export function inlineHashes(html) {
  const scripts = [];
  const styles = [];
  // Script and style contents are raw text in HTML: they end at the first </script> or
  // </style>, so a non-greedy match is exact.
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    const attrs = m[1];
    if (/\bsrc\s*=/.test(attrs)) continue;
    if (/\btype\s*=\s*["']?(?:application\/(?:ld\+)?json|importmap|text\/template)/i.test(attrs)) continue;
    if (m[2].includes('{{__TRUNK_')) {
      console.warn('csp-hash: WARNING: an inline script has a {{__TRUNK_…}} placeholder that `trunk serve` fills in per ' +
        'request, so its hash will not match and the CSP will block it (is serve.no_autoreload off?)');
    }
    scripts.push(sha256(m[2]));
  }
  for (const m of html.matchAll(/<style\b([^>]*)>([\s\S]*?)<\/style\s*>/gi)) styles.push(sha256(m[2]));
  return { scripts: [...new Set(scripts)], styles: [...new Set(styles)] };
}

function decodeAttr(s) {
  return s.replace(/&quot;/g, '"').replace(/&#39;|&apos;/g, "'").replace(/&amp;/g, '&');
}

function setSources(policy, directive, hashes) {
  const parts = policy.split(';').map((d) => d.trim()).filter(Boolean);
  const i = parts.findIndex((d) => d.split(/\s+/)[0].toLowerCase() === directive);
  if (i < 0) {
    if (hashes.length === 0) return parts.join('; ');
    throw new Error(`the CSP has no ${directive} directive to add ${hashes.length} hash(es) to`);
  }
  const tokens = parts[i].split(/\s+/).filter((t) => !/^'sha256-[A-Za-z0-9+/=]+'$/.test(t));
  parts[i] = [...tokens, ...hashes].join(' ');
  return parts.join('; ');
}

/** Returns { html, policy, hashes } with the CSP meta updated. Throws when there is no CSP. */
export function applyCspHashes(html) {
  const metas = [...html.matchAll(META_RE)];
  if (metas.length === 0) throw new Error('no <meta http-equiv="Content-Security-Policy"> found');
  if (metas.length > 1) throw new Error(`${metas.length} CSP <meta> elements found; expected one`);
  const meta = metas[0][0];
  const cm = meta.match(CONTENT_RE);
  if (!cm) throw new Error(`the CSP <meta> has no quoted content attribute: ${meta}`);
  const original = decodeAttr(cm[1] ?? cm[2]);
  const scriptSrc = original.split(';').map((d) => d.trim()).find((d) => /^script-src\s/i.test(d)) || '';
  for (const bad of ["'unsafe-eval'", "'unsafe-inline'"]) {
    if (scriptSrc.includes(bad)) throw new Error(`script-src must not contain ${bad}: ${scriptSrc}`);
  }
  const hashes = inlineHashes(html);
  let policy = setSources(original, 'script-src', hashes.scripts);
  policy = setSources(policy, 'style-src', hashes.styles);
  if (policy.includes('"')) throw new Error('the CSP may not contain a double quote');
  const newMeta = meta.replace(CONTENT_RE, `content="${policy.replace(/&/g, '&amp;')}"`);
  return { html: html.replace(meta, newMeta), policy, hashes };
}

function main() {
  const file = process.argv[2] || (process.env.TRUNK_STAGING_DIR && path.join(process.env.TRUNK_STAGING_DIR, 'index.html'));
  if (!file) {
    console.error('csp-hash: give the HTML file, or run as a Trunk hook (TRUNK_STAGING_DIR unset)');
    process.exit(2);
  }
  let html;
  try {
    html = fs.readFileSync(file, 'utf8');
  } catch (err) {
    console.error(`csp-hash: cannot read ${file}: ${err.message}`);
    process.exit(1);
  }
  try {
    const out = applyCspHashes(html);
    fs.writeFileSync(file, out.html);
    console.log(`csp-hash: ${path.basename(file)}: ${out.hashes.scripts.length} inline script(s), ${out.hashes.styles.length} inline style(s) allowed by sha256`);
  } catch (err) {
    console.error(`csp-hash: ${file}: ${err.message}`);
    process.exit(1);
  }
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url))) main();
