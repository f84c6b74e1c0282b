#!/usr/bin/env bash
# Install what building and testing the KPI Scorecard needs, idempotently and pinned.
# Every step checks first and is skipped quickly when the tool is present at the right
# version. Only package registries are used (crates.io, npm, Debian's apt): no prebuilt
# binaries from anywhere else.
#
#   1. the wasm32-unknown-unknown Rust target        (rustup target add)
#   2. trunk 0.21.14                                 (cargo install --locked)
#   3. wasm-bindgen-cli = Cargo.lock's wasm-bindgen  (cargo install; --locked, else without)
#   4. Debian's chromium + chromium-driver           (apt-get, only when missing)
#   5. npm packages from package-lock.json           (npm ci: binaryen's wasm-opt,
#                                                     playwright-core)
#
# When something cannot be installed it stops with a message that says what and how to fix
# it. Environment: SETUP_SKIP_BROWSER=1 skips step 4 (never in CI).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TRUNK_VERSION="0.21.14"
WASM_TARGET="wasm32-unknown-unknown"
# Where `cargo install` puts binaries (cargo honours CARGO_INSTALL_ROOT, then CARGO_HOME).
CARGO_BIN="${CARGO_INSTALL_ROOT:-${CARGO_HOME:-$HOME/.cargo}}/bin"
export PATH="$ROOT/node_modules/.bin:$CARGO_BIN:$PATH"

START=$(date +%s)
did=()
step_start=0
say() { printf 'setup: %s\n' "$*"; }
die() {
  printf '\nsetup: ERROR: %s\n' "$1" >&2
  shift
  for line in "$@"; do printf '  %s\n' "$line" >&2; done
  exit 1
}
begin() { step_start=$(date +%s); }
done_step() { did+=("$1 ($(( $(date +%s) - step_start ))s)"); say "$1 ($(( $(date +%s) - step_start ))s)"; }

# --- 0. what must already be there -------------------------------------------------------
command -v cargo >/dev/null || die "cargo not found" "Install Rust with rustup (https://rustup.rs) and make sure $CARGO_BIN is on PATH."
command -v rustup >/dev/null || die "rustup not found" "The wasm32 target is added with rustup: install Rust with rustup, not a distribution package."
command -v node >/dev/null || die "node not found" "Install Node.js 20 or newer (e.g. apt-get install nodejs npm, or from nodejs.org)."
command -v npm >/dev/null || die "npm not found" "Install npm (it comes with Node.js)."
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "Node.js $(node --version) is too old" "Install Node.js 20 or newer (the tests use node:test and fs.cp)."

# --- 1. wasm32 target --------------------------------------------------------------------
# rustup resolves the toolchain from rust-toolchain.toml here; with RUSTUP_AUTO_INSTALL=0
# rustup won't add its targets by itself, so add it explicitly.
begin
if rustup target list --installed 2>/dev/null | grep -qx "$WASM_TARGET"; then
  done_step "ok   rust target $WASM_TARGET already installed ($(rustc --version))"
else
  say "adding rust target $WASM_TARGET ..."
  rustup target add "$WASM_TARGET" || die "could not add the Rust target $WASM_TARGET" \
    "Run: rustup target add $WASM_TARGET   (in $ROOT, so it is added to the toolchain rust-toolchain.toml names)"
  done_step "did  rustup target add $WASM_TARGET"
fi

# --- 2. trunk ----------------------------------------------------------------------------
begin
have_trunk=$(trunk --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have_trunk" = "$TRUNK_VERSION" ]; then
  done_step "ok   trunk $TRUNK_VERSION already installed"
else
  say "installing trunk $TRUNK_VERSION (found: ${have_trunk:-none}); this compiles it, several minutes ..."
  cargo install trunk --version "$TRUNK_VERSION" --locked --force \
    || die "cargo install trunk --version $TRUNK_VERSION --locked failed" \
      "Trunk 0.22+ needs a newer rustc than some machines have, so this project pins $TRUNK_VERSION." \
      "Check the error above (network to crates.io? a C compiler for its -sys crates: apt-get install build-essential pkg-config)."
  [ "$(trunk --version | awk '{print $2}')" = "$TRUNK_VERSION" ] || die "trunk on PATH is not $TRUNK_VERSION after installing it" "Check that $CARGO_BIN comes first on PATH: $(command -v trunk)"
  done_step "did  cargo install trunk --version $TRUNK_VERSION --locked"
fi

# --- 3. wasm-bindgen-cli -----------------------------------------------------------------
# Trunk --offline uses the wasm-bindgen on PATH only when its version equals Cargo.lock's.
wbg_version=""
if [ -f Cargo.lock ]; then
  wbg_version=$(awk '/^\[\[package\]\]/{p=0} /^name = "wasm-bindgen"$/{p=1} p && /^version = /{gsub(/"/,"",$3); print $3; exit}' Cargo.lock)
fi
if [ -z "$wbg_version" ]; then
  # No Cargo.lock (or no wasm-bindgen in it): use the exact pin in Cargo.toml.
  wbg_version=$(sed -nE 's/^wasm-bindgen *= *\{?.*"=([0-9][0-9.]*)".*/\1/p' Cargo.toml | head -n1)
fi
[ -n "$wbg_version" ] || die "cannot tell which wasm-bindgen version to install" \
  "Neither Cargo.lock nor Cargo.toml (wasm-bindgen = \"=X.Y.Z\") names it. Run 'cargo generate-lockfile' and retry."
begin
have_wbg=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have_wbg" = "$wbg_version" ]; then
  done_step "ok   wasm-bindgen-cli $wbg_version already installed (= Cargo.lock)"
else
  say "installing wasm-bindgen-cli $wbg_version (found: ${have_wbg:-none}); this compiles it, several minutes ..."
  if cargo install wasm-bindgen-cli --version "$wbg_version" --locked --force; then
    how="--locked"
  else
    say "cargo install wasm-bindgen-cli --locked failed; retrying without --locked (newest compatible dependencies)"
    cargo install wasm-bindgen-cli --version "$wbg_version" --force \
      || die "cargo install wasm-bindgen-cli --version $wbg_version failed (with and without --locked)" \
        "It must equal the wasm-bindgen version in Cargo.lock. Check the error above."
    how="without --locked"
  fi
  [ "$(wasm-bindgen --version | awk '{print $2}')" = "$wbg_version" ] || die "wasm-bindgen on PATH is not $wbg_version after installing it" "Check that $CARGO_BIN comes first on PATH: $(command -v wasm-bindgen)"
  done_step "did  cargo install wasm-bindgen-cli --version $wbg_version ($how)"
fi

# --- 4. Chromium -------------------------------------------------------------------------
begin
pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
if [ "${SETUP_SKIP_BROWSER:-}" = "1" ] && [ -z "${CI:-}" ]; then
  done_step "skip chromium (SETUP_SKIP_BROWSER=1): browser tests will fail without it"
elif [ -x /usr/bin/chromium ] && pkg_installed chromium && pkg_installed chromium-driver; then
  done_step "ok   chromium + chromium-driver already installed ($(/usr/bin/chromium --version 2>/dev/null | head -n1))"
else
  command -v apt-get >/dev/null || die "chromium is missing and apt-get is not available" \
    "Install Chromium so that /usr/bin/chromium exists (or set CHROMIUM_PATH for the tests)."
  if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  else
    die "chromium + chromium-driver are missing and installing them needs root" \
      "Run as root, or: sudo apt-get update && sudo apt-get install -y chromium chromium-driver"
  fi
  say "installing chromium + chromium-driver with apt-get ..."
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q \
    || die "apt-get update failed" "Check the apt sources and the network, then rerun."
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium chromium-driver \
    || die "apt-get install chromium chromium-driver failed" "Check the error above; on Ubuntu, chromium is a snap: use Debian's package or set CHROMIUM_PATH."
  [ -x /usr/bin/chromium ] || die "/usr/bin/chromium is still missing after apt-get install" "Set CHROMIUM_PATH to your Chromium binary."
  done_step "did  apt-get install chromium chromium-driver ($(/usr/bin/chromium --version 2>/dev/null | head -n1))"
fi

# --- 5. npm packages ---------------------------------------------------------------------
begin
[ -f package-lock.json ] || die "package-lock.json is missing" "Run 'npm install' once and commit package-lock.json."
lock_sum=$(sha256sum package-lock.json | awk '{print $1}')
stamp=node_modules/.scorecard-setup-stamp
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_sum" ] && [ -e node_modules/.bin/wasm-opt ] && [ -d node_modules/playwright-core ] && [ -d node_modules/terser ]; then
  done_step "ok   npm packages already installed (package-lock.json unchanged)"
else
  say "installing npm packages (npm ci) ..."
  npm ci --no-audit --no-fund --loglevel=error || die "npm ci failed" "Check the error above (network to the npm registry?)."
  echo "$lock_sum" > "$stamp"
  done_step "did  npm ci ($(node -p 'require("./node_modules/binaryen/package.json").version' 2>/dev/null | sed 's/^/binaryen /'), $(node -p 'require("./node_modules/playwright-core/package.json").version' 2>/dev/null | sed 's/^/playwright-core /'))"
fi
# Trunk.toml requires this exact wasm-opt; check the package rather than running the 10 MB
# wasm-opt.js (slow to start).
want_opt=$(sed -nE 's/^wasm_opt *= *"version_([0-9]+)".*/\1/p' Trunk.toml)
have_opt=$(node -p 'require("./node_modules/binaryen/package.json").version.split(".")[0]' 2>/dev/null || true)
[ -z "$want_opt" ] || [ "$want_opt" = "$have_opt" ] || die "node_modules has binaryen $have_opt but Trunk.toml wants wasm-opt version_$want_opt" \
  "Keep package.json's binaryen and Trunk.toml's [tools] wasm_opt in step, then rerun."

say "done in $(( $(date +%s) - START ))s:"
for d in "${did[@]}"; do printf '  %s\n' "$d"; done
