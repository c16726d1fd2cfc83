#!/usr/bin/env bash
# docs/job-summary.png, the picture near the top of the README: the job summary of a real demo
# run (npm run demo), rendered as GitHub renders Markdown and photographed by headless Chromium.
# Needs Debian's chromium package (apt-get install chromium); run it by hand after a change to
# the summary, and commit the picture. Not part of test:all.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium > /dev/null || { echo "Install Chromium first: apt-get install chromium" >&2; exit 1; }
out=$(mktemp -d)
npm run demo -- --out "$out"
node scripts/summary-html.mjs "$out/summary-1-push.md" > "$out/summary.html"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
  --window-size=1440,600 --screenshot="$PWD/docs/job-summary.png" "file://$out/summary.html"
echo "Wrote docs/job-summary.png from $out/summary-1-push.md"
