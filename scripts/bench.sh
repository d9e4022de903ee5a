#!/usr/bin/env bash
# Throughput benchmark (release build), on SQLite and then on PostgreSQL:
# each database's raw single-row durable commits, device transitions and
# registrations over HTTP, /healthz, device reads, scans among a million
# devices and the documents, every figure beside its in-run baseline.
#   BENCH_SECONDS=5 BENCH_CLIENTS=64 BENCH_PHASES=raw,transitions scripts/bench.sh
# PostgreSQL: BENCH_DATABASE_URL (a role allowed to create databases, on a
# durable server) if set, else a throwaway server from the local binaries with
# its defaults (fsync on, synchronous_commit on); skipped if there are none.
# BENCH_DATABASES=sqlite (or postgres) runs one of the two.
set -euo pipefail
cd "$(dirname "$0")/.."
databases=${BENCH_DATABASES:-sqlite,postgres}

if [[ ",$databases," == *,sqlite,* ]]; then
  echo "==> SQLite"
  BENCH_DATABASE_URL= cargo bench --locked --bench throughput
fi
if [[ ",$databases," == *,postgres,* ]]; then
  . scripts/lib/postgres.sh
  if [ -z "${BENCH_DATABASE_URL:-}" ]; then
    if ! postgres_binaries >/dev/null; then
      echo "==> PostgreSQL not installed: skipping its run (apt-get install postgresql)"
      exit 0
    fi
    throwaway_postgres max_connections=300
    BENCH_DATABASE_URL=$POSTGRES_URL
  fi
  echo "==> PostgreSQL"
  BENCH_DATABASE_URL=$BENCH_DATABASE_URL cargo bench --locked --bench throughput
fi
