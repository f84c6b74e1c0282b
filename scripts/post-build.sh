#!/usr/bin/env bash
# Trunk's post_build hook (see Trunk.toml), run from the project root with
# TRUNK_STAGING_DIR pointing at the staged build. Trunk runs the hooks of one stage
# concurrently, so the steps that must happen in order are in this one script:
#   1. scripts/build-extras.sh  the on-demand module into extras-<hash>/ and its
#                               <meta name="scorecard-extras"> into index.html;
#   2. scripts/csp-hash.mjs     the sha256 of Trunk's inline loader into the CSP.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/build-extras.sh"
node "$ROOT/scripts/csp-hash.mjs"
