#!/usr/bin/env bash
# Runs the online-submission benchmark (bench/apply/README.md): installs PostgreSQL when
# missing, starts a throw-away PostgreSQL on loopback with fsync and synchronous_commit on
# unless TEST_PG_URL is set, and runs
#   cargo bench --locked -p gongkai-web --bench apply -- "$@"
# e.g. bench/apply/run.sh --dir /tmp/bench-apply --runs 3 --duration 10
#
# scripts/pg.sh starts its test server with fsync=off (fine for tests, meaningless for commits
# per second), so this script starts its own with the server's durable defaults spelled out.
# With --dir DIR, the server's data goes in DIR/pg-server, on the same disk as the SQLite file
# and the fsync floor (DIR must be reachable by the postgres user when run as root).
set -euo pipefail
cd "$(dirname "$0")/../.."
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
if [ -z "${TEST_PG_URL:-}" ]; then
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  as_pg() {
    # initdb refuses to run as root: run the server as the postgres user then.
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
  }
  dir=""
  args=("$@")
  for ((i = 0; i < ${#args[@]}; i++)); do
    if [ "${args[$i]}" = "--dir" ] && [ $((i + 1)) -lt ${#args[@]} ]; then dir=${args[$((i + 1))]}; fi
  done
  if [ -n "$dir" ]; then
    pgdir="$dir/pg-server"
    rm -rf "$pgdir"
    mkdir -p "$pgdir"
  else
    pgdir=$(mktemp -d /tmp/gongkai-bench-apply-pg.XXXXXX)
  fi
  chmod 755 "$pgdir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$pgdir"; fi
  cleanup() {
    as_pg "$bin/pg_ctl" -D "$pgdir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$pgdir"
  }
  trap cleanup EXIT
  port=$((20000 + RANDOM % 20000))
  as_pg "$bin/initdb" -D "$pgdir/data" -U gongkai --auth=trust -E UTF8 --locale=C.UTF-8 >"$pgdir/initdb.log" 2>&1
  as_pg "$bin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$pgdir -c fsync=on -c synchronous_commit=on -c full_page_writes=on -c max_connections=200" \
    start >/dev/null
  as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U gongkai gongkai_bench
  TEST_PG_URL="postgres://gongkai@127.0.0.1:$port/gongkai_bench"
  export TEST_PG_URL
fi
cargo bench --locked -p gongkai-web --bench apply -- "$@"
