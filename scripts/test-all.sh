#!/usr/bin/env bash
# Every check, in the order a reviewer would want them: types, lint and format, a fresh bundle that must match
# the committed dist/, then all tests (unit, and e2e through that fresh bundle against real git,
# a real ZenML server and real Python entrypoints), then the reliability table. The e2e tests
# never see a stale bundle.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-python.sh
npm run typecheck
# eslint (with the type-aware promise rules), prettier --check, and zizmor over the workflows.
npm run lint
npm run package
if [ -n "$(git status --porcelain -- dist/)" ]; then
  echo "dist/ does not match a fresh build of this tree. Run 'npm run package' and commit dist/:" >&2
  git status --porcelain -- dist/ | head -n 20 >&2
  exit 1
fi
npm run test:built
# Generated configs, inputs and events, and fault sequences through the bundle; prints its seed.
npm run reliability
