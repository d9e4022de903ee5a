#!/usr/bin/env bash
# End-to-end tests of the web pages in a real headless Chromium (Debian's
# `chromium` package), driven by playwright-core from tests/e2e.
#   scripts/e2e.sh                               screenshots in target/screenshots
#   SCREENSHOTS=docs/screenshots scripts/e2e.sh  refresh the ones in docs/
# Without Chromium or Node.js the run is skipped with a notice — unless
# CI=true, where that is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=""
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || missing="Chromium (apt-get install chromium)"
command -v node >/dev/null || missing="Node.js"
if [ -n "$missing" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "$missing not found: the browser tests are required in CI" >&2
    exit 1
  fi
  echo "==> $missing not installed: skipping the browser tests"
  exit 0
fi

echo "==> browser tests (headless Chromium)"
cargo build --locked --bin retrace
if [ ! -d tests/e2e/node_modules/playwright-core ]; then
  npm ci --prefix tests/e2e --no-audit --no-fund
fi
export SCREENSHOTS="${SCREENSHOTS:-$PWD/target/screenshots}"
case "$SCREENSHOTS" in /*) ;; *) SCREENSHOTS="$PWD/$SCREENSHOTS" ;; esac
(cd tests/e2e && node --test)
