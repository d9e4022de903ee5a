#!/usr/bin/env bash
# Puts COUNT new devices on the shelf (`ready`) of a running Retrace, through
# its API, and prints each one's id and version, one a line: the devices
# that wrk-transitions.lua reserves and releases (docs/BENCHMARKS.md).
#
#   RETRACE_TOKEN=<an API token> RETRACE_SITE=<a site's id> \
#     scripts/bench/ready-devices.sh http://127.0.0.1:8080 512 > devices.txt
#
# Each is a monitor without drives, as the bench's transitions phase uses:
# registered, audited, nothing to erase, refurbished, no system, checked.
set -euo pipefail

url=${1:?the server, e.g. http://127.0.0.1:8080}
count=${2:-512}
: "${RETRACE_TOKEN:?an API token}" "${RETRACE_SITE:?a site id}"

post() {
  curl -fsS -X POST "$url$1" -H "Authorization: Bearer $RETRACE_TOKEN" \
    -H 'Content-Type: application/json' -d "$2"
}

checklist='{"boot":true,"keyboard":true,"screen":true,"battery":true,"network":true,"os":true}'
for _ in $(seq "$count"); do
  id=$(post /api/v1/devices "{\"site_id\":\"$RETRACE_SITE\",\"kind\":\"monitor\"}" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
  version=1
  for action in '"audit"' '"sanitize_not_applicable"' '"start_refurbish"' \
    '"install_os","os":"none"' "\"pass_qc\",\"checklist\":$checklist"; do
    post "/api/v1/devices/$id/events" \
      "{\"action\":$action,\"expected_version\":$version}" >/dev/null
    version=$((version + 1))
  done
  echo "$id $version"
done
