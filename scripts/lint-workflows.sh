#!/usr/bin/env bash
# zizmor, the GitHub Actions security linter, offline (no GitHub API calls) from the project's
# .venv, over every workflow we ship and action.yml. Example workflows are passed as files:
# zizmor searches a directory only for .github/workflows. Suppressions: .github/zizmor.yml,
# each justified in SECURITY.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-python.sh
.venv/bin/zizmor --offline --quiet --config .github/zizmor.yml .github/workflows examples/workflows/*.yml action.yml
