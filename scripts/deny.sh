#!/usr/bin/env bash
# cargo deny over Cargo.lock (deny.toml): advisories, licences, bans (duplicates only warn) and
# sources; any violation fails. Arguments go to `cargo deny check` (e.g. `scripts/deny.sh
# advisories`). docs/supply-chain.md explains the two sources of the advisory database:
#   online    RustSec's database, fetched from GitHub by cargo-deny (when GitHub answers); the
#             snapshot is then compared with it and any difference is printed as a warning
#   snapshot  supply-chain/advisory-db/, committed in a throw-away git repository outside the
#             clone and served to cargo-deny in place of GitHub (git's url.<base>.insteadOf);
#             cargo-deny then runs with --offline
# GONGKAI_ADVISORY_DB=online|snapshot forces one; the default tries GitHub first.
set -euo pipefail
cd "$(dirname "$0")/.."
# cargo-deny's own git calls must not be steered into some other repository.
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY

if ! cargo deny --version >/dev/null 2>&1; then
  echo "deny: cargo-deny is not installed; scripts/setup.sh installs it" >&2
  exit 2
fi

readonly upstream=https://github.com/rustsec/advisory-db
mode=${GONGKAI_ADVISORY_DB:-auto}
if [ "$mode" = auto ]; then
  if timeout 30 git ls-remote --exit-code "$upstream" HEAD >/dev/null 2>&1; then
    mode=online
  else
    mode=snapshot
  fi
fi

case "$mode" in
online)
  echo "deny: advisory database: $upstream" >&2
  cargo deny --locked check --hide-inclusion-graph "$@"
  cargo_home=${CARGO_HOME:-$HOME/.cargo}
  for real in "$cargo_home"/advisory-dbs/advisory-db-*; do
    [ -d "$real/crates" ] || continue
    if ! python3 tools/advisory_snapshot.py diff "$real" >&2; then
      echo "deny: warning: supply-chain/advisory-db/ differs from RustSec's database (above); refresh it (docs/supply-chain.md)" >&2
    fi
  done
  ;;
snapshot)
  age=$(python3 tools/advisory_snapshot.py age)
  echo "deny: GitHub is out of reach; advisory database: supply-chain/advisory-db/ (checked $age days ago)" >&2
  if [ "$age" -gt 90 ]; then
    echo "deny: warning: the advisory snapshot is $age days old; refresh it (docs/supply-chain.md)" >&2
  fi
  unchecked=$(python3 tools/advisory_snapshot.py unchecked)
  if [ -n "$unchecked" ]; then
    echo "deny: warning: the snapshot has not looked these crates of Cargo.lock up; their advisories are unknown until it is refreshed (docs/supply-chain.md):" >&2
    echo "$unchecked" | sed 's/^/  /' >&2
  fi
  work=$(mktemp -d /tmp/gongkai-advisory-db.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  cp -r supply-chain/advisory-db "$work/db"
  git -C "$work/db" init -q -b main
  git -C "$work/db" add -A
  git -C "$work/db" -c user.name=gongkai -c user.email=gongkai@localhost -c commit.gpgsign=false \
    commit -q -m "advisory snapshot"
  # cargo-deny clones or fetches $upstream (deny.toml's db-urls): git reads it as the snapshot,
  # into a directory of its own, so a real clone under advisory-dbs/ is left alone. The crates
  # of every target come from crates.io (`index`: cargo fetch); then nothing is fetched.
  export GONGKAI_ADVISORY_DB_DIR=advisory-dbs-gongkai-snapshot
  export GIT_CONFIG_COUNT=1
  export GIT_CONFIG_KEY_0="url.file://$work/db.insteadOf"
  export GIT_CONFIG_VALUE_0="$upstream"
  cargo deny --locked fetch index db
  cargo deny --locked --offline check --hide-inclusion-graph "$@"
  ;;
*)
  echo "deny: GONGKAI_ADVISORY_DB must be online or snapshot, not '$mode'" >&2
  exit 2
  ;;
esac
