#!/usr/bin/env bash
# Runs every test: the whole workspace on embedded SQLite, the HTTP suite
# again 550 days from now (faketime), the web pages in
# headless Chromium (scripts/e2e.sh), the API fuzzed from its OpenAPI
# document (scripts/schemathesis.sh), the crash test (scripts/crash-test.sh:
# kill -9 under write load), the mutants of the rules changed since the last
# full mutation run (scripts/mutants.sh), then the HTTP integration suite
# again on PostgreSQL. docs/TESTING.md says what each layer proves.
#
# PostgreSQL: uses RETRACE_TEST_DATABASE_URL if set (a role allowed to
# CREATE DATABASE; each test creates its own), else starts a throwaway server
# from the local PostgreSQL binaries (Debian: apt-get install postgresql) in a
# temporary directory, and removes it afterwards. Without PostgreSQL the second
# pass is skipped with a notice — unless CI=true, where that is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

# How long each layer took, said as it ends: the run is kept short.
lap_start=$SECONDS
lap() {
  echo "==> $1 took $((SECONDS - lap_start)) s"
  lap_start=$SECONDS
}

echo "==> cargo test (SQLite)"
cargo test --workspace --locked
lap "cargo test (SQLite), its build included"

# The same suite a year and a half from now: a test (or a demo) that took
# today's date for a constant fails here, not on some first of January.
if command -v faketime >/dev/null; then
  echo "==> cargo test --test api, 550 days from now (faketime)"
  api=$(cargo test --locked --test api --no-run --message-format=json \
    | python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["target"]["name"] == "api":
        print(m["executable"])')
  FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "+550d" "$api" --quiet
  lap "the suite 550 days from now"
elif [ "${CI:-}" = "true" ]; then
  echo "faketime not found: the suite's run in the future is required in CI" >&2
  exit 1
else
  echo "==> faketime not installed: skipping the suite's run in the future (apt-get install faketime)"
fi

scripts/e2e.sh
lap "the browser tests"

# The API against its own OpenAPI document: schemathesis, every phase (the
# stateful one included) and every check, on a demo instance.
scripts/schemathesis.sh
lap "schemathesis"

RETRACE_BIN=target/debug/retrace scripts/crash-test.sh
lap "the crash test"

# The mutants of the pure rules changed since the last full mutation run
# (docs/TESTING.md): none may survive. Nothing to do when the rules did not change.
scripts/mutants.sh --in-diff "$(cat .ci/mutants-base)"

. scripts/lib/postgres.sh

# Four tests at a time: on PostgreSQL a test waits on the server about half
# its time, and two (one a core) left the machine half idle.
run_pg_suite() {
  echo "==> cargo test --test api (PostgreSQL)"
  RETRACE_TEST_DATABASE_URL="$1" cargo test --locked --test api -- --test-threads 4
  lap "cargo test --test api (PostgreSQL)"
}

if [ -n "${RETRACE_TEST_DATABASE_URL:-}" ]; then
  run_pg_suite "$RETRACE_TEST_DATABASE_URL"
  exit 0
fi

if ! postgres_binaries >/dev/null; then
  if [ "${CI:-}" = "true" ]; then
    echo "PostgreSQL binaries not found: the PostgreSQL pass is required in CI" >&2
    exit 1
  fi
  echo "==> PostgreSQL not installed: skipping the PostgreSQL pass (apt-get install postgresql to run it)"
  exit 0
fi

# Durability is not what the suite tests: fsync off keeps it fast.
throwaway_postgres fsync=off max_connections=300
run_pg_suite "$POSTGRES_URL"
