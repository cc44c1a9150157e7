#!/usr/bin/env bash
# Installs the system packages gongkai's tests and tools need (Debian 12), only when missing.
#   poppler-utils + poppler-data: pdftotext for importing PDF reports (the CMaps are in poppler-data)
#   postgresql: the PostgreSQL leg of the storage tests
#   chromium + fonts-noto-cjk: the portal's browser tests (headless) and their screenshots
#   sqlite3: the audit-log test edits the database behind gongkai's back
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
