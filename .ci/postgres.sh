# Throwaway PostgreSQL server for tests and benchmarks: a new cluster in a temp dir,
# listening on 127.0.0.1 only, removed again by pg_stop.
#
# Source it from bash and call the functions; the server runs as a background child of
# your shell (not daemonised), so always stop it from a trap:
#
#   source .ci/postgres.sh
#   trap pg_stop EXIT
#   pg_start -c fsync=off          # extra arguments go to the postgres command line
#   DATABASE_URL=$PG_URL ...       # postgres://postgres@127.0.0.1:PORT/newsboard
#   pg_stop                        # safe to call again, or when nothing was started
#
# Or run it for a server in the foreground until Ctrl-C:  bash .ci/postgres.sh
#
# Knobs: PG_PORT (default: the first free port from 25433 up), PG_DB (newsboard).
# The default lies below the kernel's ephemeral range (32768 and up here), so no client's
# socket can be holding it; when the port turns out to be taken anyway, the next is tried.
# Needs the PostgreSQL server binaries in /usr/lib/postgresql/*/bin (Debian's
# postgresql package). As root, the server runs as the user postgres, because initdb
# and postgres refuse to run as root.

# Runs a command as the user postgres when we are root, else as ourselves.
_pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The first port from $1 up where nothing answers a TCP connect.
_pg_free_port() {
  local port=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

# One try: a new cluster in a new PG_DIR, started on PG_PORT; returns non-zero if the
# server does not come up within a minute (its log is in $PG_DIR/postgres.log).
_pg_start_on_port() {
  local started=$SECONDS
  PG_DIR=$(mktemp -d -t newsboard-pg.XXXXXX)
  if [ "$(id -u)" = 0 ]; then chown postgres: "$PG_DIR"; fi

  if ! _pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 \
      --locale=C.UTF-8 --no-sync >"$PG_DIR/postgres.log" 2>&1; then
    return 1
  fi
  _pg_as_owner "$PG_BIN/postgres" -D "$PG_DIR/data" -p "$PG_PORT" \
    -c listen_addresses=127.0.0.1 -c unix_socket_directories="$PG_DIR" "$@" \
    </dev/null >>"$PG_DIR/postgres.log" 2>&1 &
  PG_PID=$!

  until "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; do
    if ! kill -0 "$PG_PID" 2>/dev/null || ((SECONDS - started > 60)); then
      return 1
    fi
    sleep 0.1
  done
}

# Sets PG_BIN, PG_DIR, PG_PORT, PG_PID and PG_URL; returns non-zero (after printing
# the server's log) if the server does not come up.
pg_start() {
  local started=$SECONDS
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1) || true
  if [ ! -x "$PG_BIN/initdb" ]; then
    echo "pg_start: no PostgreSQL server found in /usr/lib/postgresql (apt-get install postgresql)" >&2
    return 1
  fi
  local chosen_port=${PG_PORT:-} attempt
  PG_PORT=${PG_PORT:-25433}
  for attempt in 1 2 3 4 5 6 7 8; do
    [ -n "$chosen_port" ] || PG_PORT=$(_pg_free_port "$PG_PORT")
    _pg_start_on_port "$@" && break
    if [ -n "$chosen_port" ] || [ "$attempt" = 8 ] \
        || ! grep -q "Address already in use" "$PG_DIR/postgres.log"; then
      echo "pg_start: PostgreSQL did not start; its log:" >&2
      cat "$PG_DIR/postgres.log" >&2
      return 1
    fi
    pg_stop
    PG_PORT=$((PG_PORT + 1))
  done
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "${PG_DB:-newsboard}" || return 1
  PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/${PG_DB:-newsboard}"
  echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') ready at $PG_URL" \
    "($((SECONDS - started)) s, data in $PG_DIR)"
}

# Stops the server (fast shutdown: open sessions are ended) and removes its dir.
pg_stop() {
  if [ -n "${PG_PID:-}" ]; then
    # pg_ctl -w returns once the postmaster and all its backends are gone; kill is
    # the fallback for a server that is half up. $PG_PID is runuser (as root) or
    # postgres itself; either way it exits with the server and is reaped by wait.
    _pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 \
      || kill "$PG_PID" 2>/dev/null || true
    wait "$PG_PID" 2>/dev/null || true
    PG_PID=
  fi
  if [ -n "${PG_DIR:-}" ]; then
    rm -rf "$PG_DIR"
    PG_DIR=
  fi
  return 0
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  trap pg_stop EXIT
  trap 'exit 130' INT TERM
  pg_start "$@"
  echo "Ctrl-C stops it and deletes its data."
  wait "$PG_PID"
fi
