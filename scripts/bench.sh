#!/usr/bin/env bash
# Throughput benchmark: raw SQLite durable commits, device transitions over
# HTTP, /healthz and GET /api/v1/devices/{id}, all in one run (release build).
#   BENCH_SECONDS=5 BENCH_CLIENTS=64 scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --locked --bench throughput
