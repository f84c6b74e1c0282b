#!/usr/bin/env bash
# Trunk post_build hook (see Trunk.toml): builds the on-demand module — the part of the
# app a first visit does not need (charts, the printable appraisal sheets, spreadsheet
# import and export) — and puts it into the staged build, so the first page load stays
# small. The page loads it with import() the first time one of those is opened.
#
#   cargo build --target wasm32-unknown-unknown [--release] --bin scorecard-extras
#   wasm-bindgen --target web            (the same wasm-bindgen Trunk uses, from PATH)
#   wasm-opt -Oz with the features index.html names (release builds only)
#   → $TRUNK_STAGING_DIR/extras-<hash>/scorecard-extras.js + scorecard-extras_bg.wasm
#   and <meta name="scorecard-extras" content="extras-<hash>/scorecard-extras.js"> in
#   the staged index.html (the hash changes with the content: no stale cached copy).
#
# Trunk cannot build a second, not-auto-started WebAssembly module itself (it supports
# one main app plus web workers), hence this hook. It runs before scripts/csp-hash.mjs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
STAGING="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook (TRUNK_STAGING_DIR is not set)}"
PROFILE="${TRUNK_PROFILE:-release}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

args=(--offline --target wasm32-unknown-unknown --bin scorecard-extras)
dir=debug
if [ "$PROFILE" = release ]; then args+=(--release); dir=release; fi
cargo build "${args[@]}"

wasm="$TARGET_DIR/wasm32-unknown-unknown/$dir/scorecard-extras.wasm"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
wasm-bindgen --target web --no-typescript --out-dir "$tmp" "$wasm"
if [ "$PROFILE" = release ]; then
  # The same level and parameters Trunk passes for the main module (data-wasm-opt,
  # data-wasm-opt-params), in Trunk's order: the level first.
  level=$(sed -n 's/.*data-wasm-opt="\([^"]*\)".*/\1/p' index.html | head -n1)
  params=$(sed -n 's/.*data-wasm-opt-params="\([^"]*\)".*/\1/p' index.html | head -n1)
  # shellcheck disable=SC2086
  wasm-opt "-O$level" $params "$tmp/scorecard-extras_bg.wasm" -o "$tmp/opt.wasm"
  mv "$tmp/opt.wasm" "$tmp/scorecard-extras_bg.wasm"
fi
hash=$(cat "$tmp"/scorecard-extras.js "$tmp"/scorecard-extras_bg.wasm | sha256sum | cut -c1-16)
rm -rf "$STAGING"/extras-*
out="$STAGING/extras-$hash"
mkdir -p "$out"
cp -r "$tmp"/. "$out"/
node scripts/extras-meta.mjs "$STAGING/index.html" "extras-$hash/scorecard-extras.js"
echo "build-extras: extras-$hash/ ($(( $(stat -c %s "$out/scorecard-extras_bg.wasm") / 1024 )) KB wasm, loaded on demand)"
