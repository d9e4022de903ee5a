#!/usr/bin/env bash
# Scale benchmark: a realistic instance of 1,000,000 devices and about ten
# million events, written through Retrace's own services and ledger writer
# (scripts/bench/scale.rs); its chain verified with `retrace ledger verify`;
# the impact report over it timed in process, then over HTTP from outside
# (curl for single requests, wrk for a sustained run).
#   SCALE_DEVICES=1000000 SCALE_DIR=target/scale scripts/scale.sh
# The instance is kept in SCALE_DIR: a second run only measures.
set -euo pipefail
cd "$(dirname "$0")/.."
export SCALE_DIR="${SCALE_DIR:-target/scale}"
cargo bench --locked --bench scale
cargo build --release --locked --bin retrace
retrace=target/release/retrace
export RETRACE_DATA_DIR="$SCALE_DIR" RETRACE_BIND=127.0.0.1:18091
# SCALE_VERIFY=0 skips the chain's check (minutes at ten million events).
if [ "${SCALE_VERIFY:-1}" != 0 ]; then
  echo "chain: $(/usr/bin/time -f '%e s' $retrace ledger verify 2>&1 | tr '\n' ' ')"
fi

email="bench-$(date +%s)@retrace.test"
echo | $retrace user create --email "$email" --role viewer >/dev/null
token=$($retrace token create --email "$email" --name scale)
$retrace serve >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 50); do curl -sf http://$RETRACE_BIND/healthz >/dev/null && break; sleep 0.2; done

# The instance's last year, as the benchmark chose it.
url="http://$RETRACE_BIND/api/v1/reports/impact?$(cat "$SCALE_DIR/period")"
for run in 1 2 3 4 5; do
  curl -sf -o /dev/null -H "Authorization: Bearer $token" -w "HTTP report, a year, network: %{time_total} s\n" "$url"
done
wrk -t1 -c2 -d15s -H "Authorization: Bearer $token" "$url"
