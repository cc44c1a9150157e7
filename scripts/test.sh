#!/usr/bin/env bash
# Runs every gongkai test: installs what the tests need, starts PostgreSQL on loopback
# (TEST_PG_URL), runs the workspace tests, then checks the seed report against the corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
pgdir=$(mktemp -d /tmp/gongkai-pg.XXXXXX)
chmod 755 "$pgdir"
cleanup() { scripts/pg.sh stop "$pgdir"; rm -rf "$pgdir"; }
trap cleanup EXIT
TEST_PG_URL=$(scripts/pg.sh start "$pgdir")
export TEST_PG_URL
echo "test: PostgreSQL at $TEST_PG_URL" >&2
cargo test --workspace --locked
# The seed report reproduced cell for cell, checked by the corpus's own comparison tool.
cargo run --quiet --locked -- report render examples/seed-2021.json --format json -o "$pgdir/seed.json"
python3 tools/compare_report.py testdata/corpus/seed/zibo-zhangdian-jiguan-shiwu-2021.expected.json "$pgdir/seed.json"
