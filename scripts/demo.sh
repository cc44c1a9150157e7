#!/usr/bin/env bash
# Runs gongkai on demo data in the embedded database (SQLite, in DIR, default ./demo-data):
# the seed agency (淄博市张店区机关事务服务中心) with its 2021 catalogue of 85 items published through
# the workflow, its table 二 entries and 指南/制度; then computes its 2021 annual report from that
# data, checks it, and writes it as JSON and as an A4 HTML page beside the complete seed report.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-demo-data}
cargo build --release --locked --quiet
gongkai="${CARGO_TARGET_DIR:-target}/release/gongkai"
agency=淄博市张店区机关事务服务中心
if [ ! -e "$dir/gongkai.toml" ]; then
  "$gongkai" init --data "$dir" --demo
fi
"$gongkai" report compute --data "$dir" --agency "$agency" --year 2021 --format json -o "$dir/report-2021.json"
"$gongkai" report compute --data "$dir" --agency "$agency" --year 2021 --format html -o "$dir/report-2021.html"
"$gongkai" report render examples/seed-2021.json --format html -o "$dir/seed-2021.html"
"$gongkai" catalog stats --data "$dir" --agency "$agency" --year 2021
echo
echo "computed from the data:  $dir/report-2021.json, $dir/report-2021.html"
echo "the seed report, whole:  $dir/seed-2021.html"
echo "more: $gongkai --help (catalog, application, report check|import, audit, calendar, fee, validate)"
