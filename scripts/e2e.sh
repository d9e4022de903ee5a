#!/usr/bin/env bash
# End-to-end tests from tests/e2e: the web pages in a real headless Chromium
# (Debian's `chromium` package) driven by playwright-core, the scan page's
# camera filming a printed label, and Zebra labels printed by a ZPL renderer
# and read back by zbarimg.
#   scripts/e2e.sh    the tests' own screenshots in target/screenshots
# (The README's, in docs/screenshots, come from scripts/screenshots.sh.)
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
# `--workspace --tests` resolves features as `cargo test --workspace` did,
# so the server binary that pass built is reused instead of compiling every
# dependency a second time.
cargo build --locked --workspace --tests
installed() {
  (cd tests/e2e && node -e '
    const fs = require("fs");
    const { devDependencies } = require("./package.json");
    for (const [name, version] of Object.entries(devDependencies)) {
      const manifest = fs.readFileSync(`node_modules/${name}/package.json`, "utf8");
      if (JSON.parse(manifest).version !== version) process.exit(1);
    }' 2>/dev/null)
}
if ! installed; then
  npm ci --prefix tests/e2e --no-audit --no-fund
fi
export SCREENSHOTS="${SCREENSHOTS:-$PWD/target/screenshots}"
case "$SCREENSHOTS" in /*) ;; *) SCREENSHOTS="$PWD/$SCREENSHOTS" ;; esac
(cd tests/e2e && node --test)
