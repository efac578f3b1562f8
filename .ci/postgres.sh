# Source this file (bash): it starts a throw-away PostgreSQL server for the team-mode tests and
# exports CLAIMCODER_TEST_PG_URL; call claimcoder_pg_stop to stop it and delete its files.
#
#   source .ci/postgres.sh && trap claimcoder_pg_stop EXIT
#
# The server is the distribution's (Debian's `postgresql`, installed with apt-get when missing
# and we are root), runs as an unprivileged user (`postgres` when we are root), listens on
# 127.0.0.1 only, on a free port, with its data in a fresh temporary folder. It needs a password
# (scram-sha-256) so that the tests exercise real credentials; the password is random and never
# printed. Durability is switched off (fsync=off): the cluster is deleted afterwards anyway.

claimcoder_pg_start() {
  local bindir tmp port password run
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bindir" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    # Debian's package would create and start a cluster of its own on port 5432: not wanted.
    mkdir -p /etc/postgresql-common
    [ -f /etc/postgresql-common/createcluster.conf ] || echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  fi
  if [ -z "$bindir" ]; then
    echo "postgres.sh: no PostgreSQL server found (install Debian's postgresql package)" >&2
    return 1
  fi
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/claimcoder-pg.XXXXXX")
  run=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$tmp"
    run=(runuser -u postgres --)
  fi
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  password=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
  printf '%s\n' "$password" > "$tmp/pw"
  [ "$(id -u)" = 0 ] && chown postgres "$tmp/pw"
  "${run[@]}" "$bindir/initdb" -D "$tmp/data" -U claimcoder --pwfile="$tmp/pw" -E UTF8 --locale=C.UTF-8 --no-sync \
    --auth-local=trust --auth-host=scram-sha-256 >"$tmp/initdb.log" 2>&1 \
    || { cat "$tmp/initdb.log" >&2; return 1; }
  rm -f "$tmp/pw"
  "${run[@]}" "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    >/dev/null || { cat "$tmp/server.log" >&2; return 1; }
  "${run[@]}" "$bindir/createdb" -h "$tmp" -p "$port" -U claimcoder claimcoder_test
  CLAIMCODER_PG_DIR=$tmp
  CLAIMCODER_PG_BIN=$bindir
  export CLAIMCODER_TEST_PG_URL="postgresql+psycopg://claimcoder:$password@127.0.0.1:$port/claimcoder_test"
  echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') for the tests: postgresql+psycopg://claimcoder:***@127.0.0.1:$port/claimcoder_test"
}

claimcoder_pg_stop() {
  [ -n "${CLAIMCODER_PG_DIR:-}" ] || return 0
  local run=()
  [ "$(id -u)" = 0 ] && run=(runuser -u postgres --)
  "${run[@]}" "$CLAIMCODER_PG_BIN/pg_ctl" -D "$CLAIMCODER_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$CLAIMCODER_PG_DIR"
  CLAIMCODER_PG_DIR=
}

claimcoder_pg_start
