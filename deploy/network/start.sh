#!/usr/bin/env bash
# A network of workshops on one machine, to try before deploying it: a
# PostgreSQL primary, a streaming replica of it (for backups and reporting),
# and two `retrace serve` processes sharing the database and the signing key.
#
#   cargo build --release && deploy/network/start.sh [DIR]
#
# Needs PostgreSQL's server programs (Debian: postgresql). Ctrl-C stops it all.
# On real hosts the same pieces are the systemd unit deploy/retrace@.service,
# deploy/network/nginx.conf in front, and docs/DEPLOY.md's steps.
set -euo pipefail
cd "$(dirname "$0")/../.."

dir=$(realpath -m "${1:-$(mktemp -d)}")
retrace=$(realpath "${RETRACE_BIN:-target/release/retrace}")
pgbin=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d | sort -V | tail -1)
[ -x "$retrace" ] || { echo "build Retrace first: cargo build --release" >&2; exit 1; }
[ -n "$pgbin" ] || { echo "PostgreSQL's server programs are missing (apt-get install postgresql)" >&2; exit 1; }
primary_port=${PRIMARY_PORT:-55432}
replica_port=${REPLICA_PORT:-55433}
ports=(${RETRACE_PORTS:-8081 8082})

# PostgreSQL refuses to run as root: as root, its files belong to `postgres`.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
mkdir -p "$dir/key"
chmod 700 "$dir/key"
if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi

stop() {
  kill "${servers[@]}" 2>/dev/null || true
  as_pg "$pgbin/pg_ctl" -D "$dir/replica" -m fast stop >/dev/null 2>&1 || true
  as_pg "$pgbin/pg_ctl" -D "$dir/primary" -m fast stop >/dev/null 2>&1 || true
}
servers=()
trap stop EXIT

echo "primary: PostgreSQL on 127.0.0.1:$primary_port ($dir/primary)"
as_pg "$pgbin/initdb" -D "$dir/primary" -U retrace --auth=trust >/dev/null
cat >>"$dir/primary/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $primary_port
unix_socket_directories = '$dir'
wal_level = replica
max_wal_senders = 4
EOF
echo "host replication retrace 127.0.0.1/32 trust" >>"$dir/primary/pg_hba.conf"
as_pg "$pgbin/pg_ctl" -D "$dir/primary" -l "$dir/primary.log" -w start >/dev/null
as_pg "$pgbin/createdb" -h 127.0.0.1 -p "$primary_port" -U retrace retrace

echo "replica: streaming from the primary, on 127.0.0.1:$replica_port (read-only)"
as_pg "$pgbin/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U retrace \
  -D "$dir/replica" --write-recovery-conf --wal-method=stream --checkpoint=fast
sed -i "s/^port = .*/port = $replica_port/" "$dir/replica/postgresql.conf"
as_pg "$pgbin/pg_ctl" -D "$dir/replica" -l "$dir/replica.log" -w start >/dev/null

export RETRACE_DATABASE_URL="postgres://retrace@127.0.0.1:$primary_port/retrace"
export RETRACE_DATA_DIR="$dir/key"
export RETRACE_PUBLIC_URL="${RETRACE_PUBLIC_URL:-http://127.0.0.1:${ports[0]}}"
export RETRACE_CONFIG="$dir/retrace.toml"
# Once, before any process serves: the schema. The first process to start
# creates the signing key in RETRACE_DATA_DIR; the others start after it and
# read the same file (on several hosts, copy it to each before they start).
"$retrace" migrate
for port in "${ports[@]}"; do
  RETRACE_BIND="127.0.0.1:$port" "$retrace" serve >"$dir/retrace-$port.log" 2>&1 &
  servers+=($!)
  until curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
    kill -0 "${servers[-1]}" 2>/dev/null || { cat "$dir/retrace-$port.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "retrace: http://127.0.0.1:$port (log: $dir/retrace-$port.log)"
done
echo "signing key: $dir/key/instance-ed25519.key (the same for every process)"
echo "a backup from the replica: pg_dump -h 127.0.0.1 -p $replica_port -U retrace --format=custom retrace > retrace.dump"
echo "Ctrl-C stops everything; $dir keeps the data."
wait
