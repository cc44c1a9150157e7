#!/usr/bin/env bash
# Installs the system packages gongkai's tests and tools need (Debian 12), only when missing.
#   poppler-utils + poppler-data: pdftotext for importing PDF reports (the CMaps are in poppler-data)
#   postgresql: the PostgreSQL leg of the storage tests
#   chromium + fonts-noto-cjk: the portal's browser tests (headless) and their screenshots
#   sqlite3: the audit-log test edits the database behind gongkai's back
# and, from crates.io, cargo-deny for scripts/deny.sh (docs/supply-chain.md).
set -euo pipefail
need=()
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
dpkg -s poppler-data >/dev/null 2>&1 || need+=(poppler-data)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
command -v sqlite3 >/dev/null 2>&1 || need+=(sqlite3)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# cargo-deny, pinned, built from crates.io when this version is not installed yet (about 3.5
# minutes of CPU). Its release profile's fat LTO and single codegen unit are turned off: the
# checks take seconds either way and the build is shorter (docs/supply-chain.md).
CARGO_DENY_VERSION=0.20.2
if [ "$(cargo deny --version 2>/dev/null)" != "cargo-deny $CARGO_DENY_VERSION" ]; then
  echo "setup: installing cargo-deny $CARGO_DENY_VERSION from crates.io" >&2
  env -u CARGO_TARGET_DIR CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --quiet --locked --force cargo-deny --version "$CARGO_DENY_VERSION"
fi
