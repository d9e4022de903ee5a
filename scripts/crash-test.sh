#!/usr/bin/env bash
# Crash safety: drives concurrent transitions against a real `retrace serve`
# on SQLite, kill -9s it at random moments (20 times by default), restarts
# it, then checks that the ledger verifies, that every event a client saw
# acknowledged is there, and that nothing the clients never sent is.
#   scripts/crash-test.sh [--kills N] [--clients N]
# Uses RETRACE_BIN if set, else builds target/debug/retrace.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${RETRACE_BIN:-target/debug/retrace}
if [ -z "${RETRACE_BIN:-}" ]; then
  # As scripts/e2e.sh: the binary `cargo test --workspace` built, not a new one.
  cargo build --locked --workspace --tests
fi
echo "==> crash test: kill -9 under write load ($bin)"
python3 scripts/crash-test.py "$bin" "$@"
