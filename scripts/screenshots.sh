#!/usr/bin/env bash
# The README's screenshots: every main page on a phone (390 px) and on a desk
# (1366 px), taken in Debian's headless Chromium from a fresh `serve --demo`,
# written to docs/screenshots/{phone,desktop}/. Run after changing a page.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --locked
if [ ! -d tests/e2e/node_modules/playwright-core ]; then
  npm ci --prefix tests/e2e --no-audit --no-fund
fi
rm -rf docs/screenshots/phone docs/screenshots/desktop
node tests/e2e/screenshots.js
