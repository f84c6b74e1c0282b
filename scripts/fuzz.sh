#!/usr/bin/env bash
# Fuzz the import path (workbook::parse, validation, engine::score, results document,
# export, import preview) for a number of seconds:
#
#   scripts/fuzz.sh [SECONDS]        default 60
#
# With a nightly toolchain and cargo-fuzz installed it runs the libFuzzer target
# fuzz/fuzz_targets/import.rs (seeded with the fixtures and presets; crashes are saved in
# fuzz/artifacts/import/). Otherwise it runs the stable stand-in, a mutation loop over the
# same seeds in tests/workbook_file.rs (`fuzz_stable`; crashes saved in
# target/fuzz-stable/). FUZZ_MODE=stable or FUZZ_MODE=nightly forces one of them.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SECS="${1:-60}"
case "$SECS" in ''|*[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS]" >&2; exit 2 ;; esac

mode="${FUZZ_MODE:-}"
if [ -z "$mode" ]; then
  if cargo +nightly --version >/dev/null 2>&1 && cargo fuzz --version >/dev/null 2>&1; then
    mode=nightly
  else
    mode=stable
  fi
fi

if [ "$mode" = nightly ]; then
  corpus="fuzz/corpus/import"
  mkdir -p "$corpus"
  cp tests/fixtures/*.json tests/fixtures/bad/*.json presets/*.json "$corpus"/
  echo "fuzz: cargo +nightly fuzz run import for ${SECS}s (corpus $corpus)"
  # -timeout: an input that takes over 10 s is reported as a hang.
  (cd fuzz && cargo +nightly fuzz run import "corpus/import" -- \
      -max_total_time="$SECS" -timeout=10 -max_len=262144 -dict=import.dict -print_final_stats=1)
else
  echo "fuzz: stable mutation runner (tests/workbook_file.rs fuzz_stable) for ${SECS}s"
  FUZZ_SECONDS="$SECS" cargo test --release --test workbook_file fuzz_stable -- --ignored --nocapture
fi
