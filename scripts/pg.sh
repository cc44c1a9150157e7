#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server on loopback for the tests and prints its URL.
#   scripts/pg.sh start DIR   -> prints postgres://… ; the server's data lives in DIR
#   scripts/pg.sh stop DIR
#   scripts/pg.sh restart DIR -> starts the stopped server of DIR again, on the same port
#                                (the fault test T-FAULT-3 stops it under load, then this)
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?data directory}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg() {
  # initdb refuses to run as root: run the server as the postgres user then.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
pg_start() {
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off -c max_connections=200" start >/dev/null
}
case "$cmd" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    port=${PGPORT_TEST:-$((20000 + RANDOM % 20000))}
    as_pg "$bin/initdb" -D "$dir/data" -U gongkai --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
    echo "$port" >"$dir/port"
    pg_start
    as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U gongkai gongkai_test
    echo "postgres://gongkai@127.0.0.1:$port/gongkai_test"
    ;;
  restart)
    port=$(cat "$dir/port")
    pg_start
    ;;
  stop)
    as_pg "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    ;;
esac
