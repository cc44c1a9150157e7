#!/usr/bin/env bash
# Runs the portal benchmark (bench/portal/README.md): installs wrk and nginx when missing,
# starts a throw-away PostgreSQL on loopback unless TEST_PG_URL is set, and runs
#   cargo bench --locked -p gongkai-web --bench portal -- "$@"
# e.g. bench/portal/run.sh --dir /tmp/bench-portal --runs 3 --duration 10
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends wrk nginx
fi
if [ -z "${TEST_PG_URL:-}" ]; then
  pgdir=$(mktemp -d /tmp/gongkai-bench-pg.XXXXXX)
  chmod 755 "$pgdir"
  cleanup() { scripts/pg.sh stop "$pgdir"; rm -rf "$pgdir"; }
  trap cleanup EXIT
  TEST_PG_URL=$(scripts/pg.sh start "$pgdir")
  export TEST_PG_URL
fi
cargo bench --locked -p gongkai-web --bench portal -- "$@"
