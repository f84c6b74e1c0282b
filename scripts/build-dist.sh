#!/usr/bin/env bash
# The release build of the web app into dist/: `trunk build --release --offline`, with the
# relative public URL from Trunk.toml (public_url = "./"), so dist/ works from any sub-folder
# of a static host. Used by `make dist` and `make test` alike, so the tests check exactly
# what ships.
#
# On the way Trunk runs (see Trunk.toml / index.html):
#   cargo build --release --target wasm32-unknown-unknown --bin scorecard-web
#   wasm-bindgen (the version in Cargo.lock, from PATH)
#   wasm-opt -Oz (binaryen 132 from node_modules/.bin, Trunk checks the version)
#   the post_build hook scripts/csp-hash.mjs (CSP hashes for Trunk's inline loader script)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:${CARGO_INSTALL_ROOT:-${CARGO_HOME:-$HOME/.cargo}}/bin:$PATH"

# index.html links style/main.css; the stylesheet is written with the app. Until it exists,
# build with an empty placeholder (never committed by this script).
if [ ! -f style/main.css ]; then
  mkdir -p style
  printf '/* placeholder created by scripts/build-dist.sh: style/main.css did not exist */\n' > style/main.css
  echo "build-dist: NOTE: created an empty placeholder style/main.css"
fi

# trunk reads NO_COLOR and accepts only true/false: the common NO_COLOR=1 would make it exit.
if [ -n "${NO_COLOR+x}" ]; then export NO_COLOR=true; fi

start=$(date +%s)
# Trunk runs with --offline (so it never downloads tools) and passes --offline on to cargo:
# fetch the crates first, including the wasm32-only ones that `cargo test` doesn't need.
cargo fetch --quiet || echo "build-dist: WARNING: cargo fetch failed; trying the offline build with the crates already downloaded"
trunk build --release --offline --public-url ./ "$@"

# Check what came out.
[ -f dist/index.html ] || { echo "build-dist: dist/index.html is missing after trunk build" >&2; exit 1; }
ls dist/*.wasm >/dev/null 2>&1 || { echo "build-dist: no .wasm in dist/ after trunk build" >&2; exit 1; }
grep -q "script-src 'self' 'wasm-unsafe-eval' 'sha256-" dist/index.html \
  || { echo "build-dist: the CSP in dist/index.html has no script hash: did the post_build hook (scripts/csp-hash.mjs) run?" >&2; exit 1; }
if grep -q "['\"]/[^'\"]*\.\(wasm\|js\|css\)['\"]" dist/index.html; then
  echo "build-dist: dist/index.html refers to an asset by an absolute path; it must be relative (public_url = \"./\")" >&2
  exit 1
fi
echo "build-dist: dist/ built in $(( $(date +%s) - start ))s:"
( cd dist && ls -l --time-style=+ | awk 'NR>1 {printf "  %10d  %s\n", $5, $NF}' )
