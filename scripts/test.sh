#!/usr/bin/env bash
# Runs every gongkai test: installs what the tests need, checks formatting and lints (rustfmt,
# clippy with warnings as errors), checks the dependencies' advisories, licences and sources
# (scripts/deny.sh, docs/supply-chain.md), starts PostgreSQL on loopback (TEST_PG_URL), runs the
# workspace tests with every PostgreSQL test required (GONGKAI_REQUIRE_PG=1: none may skip),
# then checks the seed report against the corpus and walks the portal in headless Chromium
# (scripts/e2e.sh). Any failure fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
scripts/deny.sh
pgdir=$(mktemp -d /tmp/gongkai-pg.XXXXXX)
chmod 755 "$pgdir"
cleanup() { scripts/pg.sh stop "$pgdir"; rm -rf "$pgdir"; }
trap cleanup EXIT
TEST_PG_URL=$(scripts/pg.sh start "$pgdir")
export TEST_PG_URL
export GONGKAI_REQUIRE_PG=1
# The fault tests that need root (a tmpfs, the immutable attribute) fail rather than skip.
export GONGKAI_REQUIRE_FAULTS=1
echo "test: PostgreSQL at $TEST_PG_URL" >&2
cargo test --workspace --locked
# The seed report reproduced cell for cell, checked by the corpus's own comparison tool: as
# regenerated from the demo data and published through the workflow, and as the complete
# hand-entered example document.
seed=testdata/corpus/seed/zibo-zhangdian-jiguan-shiwu-2021.expected.json
cargo run --quiet --locked -- init --data "$pgdir/demo" --demo >/dev/null
cargo run --quiet --locked -- report published --data "$pgdir/demo" --agency 淄博市张店区机关事务服务中心 --year 2021 -o "$pgdir/published.json"
python3 tools/compare_report.py "$seed" "$pgdir/published.json"
cargo run --quiet --locked -- report render examples/seed-2021.json --format json -o "$pgdir/seed.json"
python3 tools/compare_report.py "$seed" "$pgdir/seed.json"
# The portal in headless Chromium, walked as a citizen (screenshots in e2e/screenshots).
scripts/e2e.sh
