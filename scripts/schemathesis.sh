#!/usr/bin/env bash
# Fuzzes the API from its OpenAPI document with schemathesis: every phase
# (examples, coverage, fuzzing, and the stateful one that follows the links
# between operations), every check, against `retrace serve --demo` signed in
# as the demo's administrator.
#   scripts/schemathesis.sh [extra schemathesis options]
# The cases come from a fixed seed, so that a run is the same on every
# machine; SCHEMATHESIS_SEED=<n> explores others.
# Needs Python 3; installs schemathesis on first use in the user's cache
# (~/.cache/retrace/, or under $XDG_CACHE_HOME), one environment a version,
# kept across clones as cargo keeps its crates.
# Reports go to target/schemathesis/report.
set -euo pipefail
cd "$(dirname "$0")/.."

version=4.32.5
venv=${XDG_CACHE_HOME:-$HOME/.cache}/retrace/schemathesis-$version
if ! "$venv/bin/schemathesis" --version >/dev/null 2>&1; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "schemathesis==$version"
fi
# As scripts/e2e.sh: the features `cargo test --workspace` resolved, so the
# server binary that pass built is reused rather than every dependency rebuilt.
cargo build --locked --quiet --workspace --tests

dir=$(mktemp -d)
port=${SCHEMATHESIS_PORT:-18190}
base="http://127.0.0.1:$port"
RETRACE_DATA_DIR="$dir" RETRACE_BIND="127.0.0.1:$port" RETRACE_PUBLIC_URL="$base" \
  RETRACE_CONFIG="$dir/absent.toml" target/debug/retrace serve --demo >"$dir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$dir"' EXIT
until curl -fs "$base/readyz" >/dev/null 2>&1; do
  kill -0 $server 2>/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  sleep 0.3
done
token=$(curl -fs -X POST -H 'content-type: application/json' \
  -d '{"email":"admin@demo.example","password":"retrace-demo"}' "$base/api/v1/login" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["secret"])')

# NUL characters are refused in every text (PostgreSQL cannot store them):
# the API says so in its description rather than with a pattern on each string.
# tests/schemathesis: which refusals of valid data are expected (a rule about
# other records), and the check that none of them is a bound the document omits.
SCHEMATHESIS_HOOKS=tests/schemathesis/hooks.py \
"$venv/bin/schemathesis" --config-file tests/schemathesis/schemathesis.toml \
  run "$base/api/v1/openapi.json" --url "$base" \
  -H "Authorization: Bearer $token" \
  --phases examples,coverage,fuzzing,stateful --checks all \
  --generation-allow-x00 false \
  --seed "${SCHEMATHESIS_SEED:-20261206}" \
  --report ndjson,junit --report-dir target/schemathesis/report \
  "$@"
