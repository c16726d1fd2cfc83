#!/usr/bin/env bash
# npm run demo: set up the example pipeline's Python environment, then replay example events.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-python.sh
[ -f dist/index.js ] || npm run package
node --import tsx scripts/demo.ts "$@"
