#!/usr/bin/env bash
# Creates the project-local .venv with the example pipeline's pinned requirements and the
# project's own Python tools (scripts/python-tools.txt: zizmor).
# Idempotent: it reinstalls only when either file (or the uv pin below) changes. Then one venv per
# orchestrator server in scripts/python-servers/ (below).
# uv, itself from PyPI and pinned, installs the requirements: seconds instead of pip's minutes,
# with its progress shown.
set -euo pipefail
cd "$(dirname "$0")/.."
requirements=examples/pipelines/requirements.txt
tools=scripts/python-tools.txt
uv_version=0.13.9
stamp=.venv/.requirements.sha256
wanted=$( (cat "$requirements" "$tools"; echo "uv==$uv_version") | sha256sum | cut -d' ' -f1)
if ! { [ -x .venv/bin/python ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; }; then
  started=$SECONDS
  echo "Setting up .venv: uv $uv_version from PyPI, then $requirements and $tools"
  python3 -m venv --clear .venv
  .venv/bin/python -m pip install --disable-pip-version-check --quiet "uv==$uv_version"
  .venv/bin/uv pip install --python .venv/bin/python --requirement "$requirements" --requirement "$tools"
  echo "$wanted" > "$stamp"
  echo "Python environment ready: .venv ($(.venv/bin/python --version)) in $((SECONDS - started)) s"
fi

# One pinned venv per orchestrator server the tests run for real (.venv-<name>, from
# scripts/python-servers/<name>.txt): their fastapi pins conflict with zenml[server] and with each
# other, so none shares .venv. Each is remade only when its requirements (or the uv pin) change.
for servers in scripts/python-servers/*.txt; do
  [ -e "$servers" ] || continue
  name=$(basename "$servers" .txt)
  venv=".venv-$name"
  want=$( (cat "$servers"; echo "uv==$uv_version") | sha256sum | cut -d' ' -f1)
  if [ -x "$venv/bin/python" ] && [ -f "$venv/.requirements.sha256" ] && [ "$(cat "$venv/.requirements.sha256")" = "$want" ]; then
    continue
  fi
  started=$SECONDS
  echo "Setting up $venv from $servers"
  python3 -m venv --clear "$venv"
  .venv/bin/uv pip install --python "$venv/bin/python" --requirement "$servers"
  echo "$want" > "$venv/.requirements.sha256"
  echo "$venv ready in $((SECONDS - started)) s"
done
