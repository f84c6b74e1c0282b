# KPI Scorecard build glue. The README's two commands:
#   make serve   install what is missing, build, serve on http://127.0.0.1:8080
#   make test    install what is missing, then native tests, the release build, the page
#                weight check and the browser tests; prints a closing summary line
# and:
#   make dist    the static site in dist/ (relative asset paths: works from any sub-folder)
#   make bench   page weight, browser load time, engine benchmark (not part of test)
#   make setup   only install what is missing (scripts/setup.sh)
# CI runs .ci/run, which is `make test`.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

# The pinned tools: wasm-opt (binaryen) from node_modules, trunk and wasm-bindgen from cargo.
export PATH := $(CURDIR)/node_modules/.bin:$(or $(CARGO_INSTALL_ROOT),$(CARGO_HOME),$(HOME)/.cargo)/bin:$(PATH)

# trunk reads NO_COLOR and accepts only true/false: the common NO_COLOR=1 would make it exit.
ifdef NO_COLOR
export NO_COLOR := true
endif

ADDRESS ?= 127.0.0.1
PORT ?= 8080
# `make serve` builds in release mode (what ships, and what the tests check). For a faster
# debug build while developing: make serve SERVE_PROFILE=
SERVE_PROFILE ?= --release
BENCH_RUNS ?= 10

.PHONY: help setup serve test dist bench native browser page-weight clean

help:
	@echo "make serve        install what is missing, build, serve on http://$(ADDRESS):$(PORT)/"
	@echo "make test         install what is missing, run every test (native, release build, page weight, browser)"
	@echo "make dist         release build into dist/ (relative paths: put it in any folder of a static host)"
	@echo "make bench        page weight, browser load time (median of $(BENCH_RUNS) cold loads), engine bench"
	@echo "make setup        only install the pinned tools (scripts/setup.sh)"
	@echo "make native | browser | page-weight   single steps of 'make test' (no setup, browser/page-weight need dist/)"

setup:
	@scripts/setup.sh

serve: setup
	@[ -f style/main.css ] || { mkdir -p style; echo '/* placeholder: style/main.css did not exist */' > style/main.css; echo "NOTE: created an empty placeholder style/main.css"; }
	@echo
	@echo "Building, then serving the KPI Scorecard at  http://$(ADDRESS):$(PORT)/  (Ctrl-C to stop)"
	@echo
	@cargo fetch --quiet || echo "WARNING: cargo fetch failed; trying the offline build with the crates already downloaded"
	trunk serve --offline $(SERVE_PROFILE) --address $(ADDRESS) --port $(PORT)

test: setup
	@scripts/test.sh

dist: setup
	@scripts/build-dist.sh
	@echo "dist/ is ready: copy its contents into any folder of a static web host (no server code needed)."

bench: setup dist
	@echo
	@echo "==> page weight (everything the first load downloads)"
	@node scripts/page-weight.mjs --no-budget --json target/page-weight.json
	@echo
	@echo "==> time from navigation to results visible (headless Chromium)"
	@node bench/load-time.mjs --runs $(BENCH_RUNS) --json target/bench-load.json
	@echo
	@echo "==> keystroke in the grid -> results updated (50 x 20 and 2,000 x 20, headless Chromium)"
	@node bench/edit-latency.mjs
	@echo
	@if [ -f benches/engine.rs ]; then \
	  echo "==> engine benchmark (cargo bench --bench engine)"; \
	  cargo bench --bench engine; \
	else \
	  echo "==> engine benchmark: benches/engine.rs does not exist yet, skipped"; \
	fi

# Single steps, for working on one part (they assume setup has run).
native:
	cargo test

browser:
	SCORECARD_CLI=$(CURDIR)/target/release/scorecard node --test --test-concurrency=1 --test-reporter=spec tests/browser/*.test.mjs

page-weight:
	node scripts/page-weight.mjs

clean:
	rm -rf dist target/test-logs target/page-weight.json target/bench-load.json
