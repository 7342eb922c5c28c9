# A throwaway PostgreSQL cluster for the test suites, from Debian's packages.
# Source it, then: `pg_start` (sets CAREPORT_TEST_POSTGRES_URL) and `pg_stop`.
# The cluster lives in a temporary directory, listens on loopback on a private
# port, runs as an unprivileged user (the package's `postgres` when this script
# runs as root), trusts loopback connections, and is removed by `pg_stop`.

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] || {
    echo "PostgreSQL server binaries not found; run ./scripts/setup.sh" >&2
    return 1
  }
  echo "$dir"
}

# Runs a command as the cluster's owner.
pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
  local bin port tries=0
  bin=$(pg_bin) || return 1
  PG_TMP=$(mktemp -d /tmp/careport-pg.XXXXXX)
  chmod 755 "$PG_TMP"
  [ "$(id -u)" = 0 ] && chown postgres: "$PG_TMP"
  pg_as_owner "$bin/initdb" -D "$PG_TMP/data" -U careport --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 >"$PG_TMP/initdb.log" 2>&1 || {
    cat "$PG_TMP/initdb.log" >&2
    return 1
  }
  while :; do
    port=$((20000 + RANDOM % 20000))
    # fsync off: a throwaway cluster needs no durability, and tests create many databases.
    if pg_as_owner "$bin/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 30 start \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_TMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      >/dev/null; then
      break
    fi
    tries=$((tries + 1))
    if [ "$tries" -ge 5 ]; then
      cat "$PG_TMP/server.log" >&2
      return 1
    fi
  done
  PG_PORT=$port
  export CAREPORT_TEST_POSTGRES_URL="postgres://careport@127.0.0.1:$port/postgres"
}

pg_stop() {
  [ -n "${PG_TMP:-}" ] || return 0
  local bin
  bin=$(pg_bin) || true
  if [ -n "$bin" ] && [ -f "$PG_TMP/data/postmaster.pid" ]; then
    pg_as_owner "$bin/pg_ctl" -D "$PG_TMP/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_TMP"
  PG_TMP=
}
