#!/usr/bin/env bash
# Trunk post_build hook (see Trunk.toml): builds the two modules the first page load does
# not download, and puts them into the staged build:
#   scorecard-app     the full app (every editor, My workbooks, import/export, undo); the
#                     first-load page (src/main.rs with the `viewer` feature, built by
#                     Trunk) imports it when the person first reaches for an editor, and
#                     it takes the page over (src/ui/handoff.rs);
#   scorecard-extras  charts, appraisal sheets, spreadsheet import/export and the scheme
#                     editor's dialogs; the full app imports it when one is opened.
# For each:
#   cargo build --target wasm32-unknown-unknown [--release] --bin NAME (both in one cargo run)
#   wasm-bindgen --target web            (the same wasm-bindgen Trunk uses, from PATH)
#   wasm-opt with the level and parameters index.html names (release builds only)
#   → $TRUNK_STAGING_DIR/<dir>-<hash>/NAME.js + NAME_bg.wasm (dir: app, extras) and
#   <meta name="NAME" content="<dir>-<hash>/NAME.js"> in the staged index.html (the hash
#   changes with the content: no stale cached copy).
#
# Trunk cannot build a second, not-auto-started WebAssembly module itself (it supports
# one main app plus web workers), hence this hook. It runs before scripts/csp-hash.mjs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
STAGING="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook (TRUNK_STAGING_DIR is not set)}"
PROFILE="${TRUNK_PROFILE:-release}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

args=(--offline --target wasm32-unknown-unknown --bin scorecard-app --bin scorecard-extras)
dir=debug
if [ "$PROFILE" = release ]; then args+=(--release); dir=release; fi
cargo build "${args[@]}"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# The same wasm-opt level and parameters Trunk passes for the first-load module
# (data-wasm-opt, data-wasm-opt-params), in Trunk's order: the level first.
level=$(sed -n 's/.*data-wasm-opt="\([^"]*\)".*/\1/p' index.html | head -n1)
params=$(sed -n 's/.*data-wasm-opt-params="\([^"]*\)".*/\1/p' index.html | head -n1)

for pair in scorecard-app:app scorecard-extras:extras; do
  name="${pair%%:*}"
  prefix="${pair##*:}"
  out_tmp="$tmp/$name"
  mkdir -p "$out_tmp"
  wasm-bindgen --target web --no-typescript --out-dir "$out_tmp" "$TARGET_DIR/wasm32-unknown-unknown/$dir/$name.wasm"
  if [ "$PROFILE" = release ]; then
    # shellcheck disable=SC2086
    wasm-opt "-O$level" $params "$out_tmp/${name}_bg.wasm" -o "$out_tmp/opt.wasm"
    mv "$out_tmp/opt.wasm" "$out_tmp/${name}_bg.wasm"
  fi
  hash=$(cat "$out_tmp/$name.js" "$out_tmp/${name}_bg.wasm" | sha256sum | cut -c1-16)
  rm -rf "$STAGING/$prefix"-*
  out="$STAGING/$prefix-$hash"
  mkdir -p "$out"
  cp -r "$out_tmp"/. "$out"/
  node scripts/extras-meta.mjs "$STAGING/index.html" "$name" "$prefix-$hash/$name.js"
  echo "build-extras: $prefix-$hash/ ($(( $(stat -c %s "$out/${name}_bg.wasm") / 1024 )) KB wasm, loaded on demand)"
done
