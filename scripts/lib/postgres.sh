# A throwaway PostgreSQL server from the local binaries (Debian: apt-get
# install postgresql), in a temporary directory removed on exit. Sourced by
# scripts/test.sh and scripts/bench.sh.
#
#   throwaway_postgres [SETTING=VALUE ...]   starts it, each argument a server
#                                            setting (-c); sets POSTGRES_URL
#                                            (role retrace, database postgres)
#   postgres_binaries                        prints the binaries' directory, or fails

postgres_binaries() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

throwaway_postgres() {
  local bin options=()
  bin=$(postgres_binaries) || return 1
  POSTGRES_DIR=$(mktemp -d)
  POSTGRES_AS=()
  if [ "$(id -u)" = "0" ]; then
    # PostgreSQL refuses to run as root.
    chown postgres "$POSTGRES_DIR"
    POSTGRES_AS=(runuser -u postgres --)
  fi
  POSTGRES_BIN=$bin
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  for setting in "$@"; do options+=(-c "$setting"); done
  trap stop_throwaway_postgres EXIT
  "${POSTGRES_AS[@]}" "$bin/initdb" -D "$POSTGRES_DIR/data" -U retrace -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  "${POSTGRES_AS[@]}" "$bin/pg_ctl" -D "$POSTGRES_DIR/data" -l "$POSTGRES_DIR/server.log" -w \
    -o "-p $port -k $POSTGRES_DIR -c listen_addresses=127.0.0.1 ${options[*]}" start >/dev/null
  POSTGRES_URL="postgres://retrace@127.0.0.1:$port/postgres"
}

stop_throwaway_postgres() {
  [ -n "${POSTGRES_DIR:-}" ] || return 0
  "${POSTGRES_AS[@]}" "$POSTGRES_BIN/pg_ctl" -D "$POSTGRES_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$POSTGRES_DIR"
  POSTGRES_DIR=
}
