#!/usr/bin/env bash
# Trunk's post_build hook (see Trunk.toml), run from the project root with
# TRUNK_STAGING_DIR pointing at the staged build. Trunk runs the hooks of one stage
# concurrently, so the steps that must happen in order are in this one script:
#   1. scripts/build-extras.sh  the full app into app-<hash>/ and the on-demand module
#                               into extras-<hash>/, their <meta>s into index.html;
#   2. scripts/minify-js.mjs    (release) the first load's JavaScript minified, its
#                               integrity hashes in index.html updated;
#   3. scripts/csp-hash.mjs     the sha256 of Trunk's inline loader into the CSP.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/build-extras.sh"
if [ "${TRUNK_PROFILE:-release}" = release ]; then
  node "$ROOT/scripts/minify-js.mjs" "${TRUNK_STAGING_DIR:?}"
fi
node "$ROOT/scripts/csp-hash.mjs"
