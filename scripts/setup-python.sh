#!/usr/bin/env bash
# Creates the project-local .venv with the example pipeline's pinned requirements.
# Idempotent: it reinstalls only when requirements.txt changes.
set -euo pipefail
cd "$(dirname "$0")/.."
requirements=examples/pipelines/requirements.txt
stamp=.venv/.requirements.sha256
wanted=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ -x .venv/bin/python ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  exit 0
fi
python3 -m venv .venv
.venv/bin/python -m pip install --disable-pip-version-check --quiet --upgrade pip
.venv/bin/python -m pip install --disable-pip-version-check --quiet -r "$requirements"
echo "$wanted" > "$stamp"
echo "Python environment ready: .venv ($(.venv/bin/python --version))"
