#!/usr/bin/env bash
# Browser tests (e2e/portal.mjs: the public portal as a citizen walks it; e2e/supervision.mjs: a
# region's supervisor imports, returns and rolls up its units' reports; e2e/story.mjs: an online
# application from the citizen's form through the back office to the reply letter): builds the gongkai binary, installs
# playwright-core from e2e/package-lock.json (no browser download: the test drives Debian's
# /usr/bin/chromium, installed by scripts/setup.sh), starts `gongkai demo` on a free loopback port
# with a fresh data directory, waits until it answers, walks the portal as a citizen and writes
# full-page screenshots to $E2E_SCREENSHOTS (default e2e/screenshots; its PNGs of an earlier run
# are removed first). Stops the server on exit; exits non-zero when a step fails. Honours
# CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

cargo build --quiet --locked -p gongkai-cli
bin="${CARGO_TARGET_DIR:-target}/debug/gongkai"
case "$bin" in /*) ;; *) bin="$root/$bin" ;; esac

(cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >/dev/null)

shots="${E2E_SCREENSHOTS:-e2e/screenshots}"
mkdir -p "$shots"
rm -f "$shots"/*.png

tmp=$(mktemp -d /tmp/gongkai-e2e.XXXXXX)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# --port 0: the system picks a free port; the server prints the address it bound.
"$bin" demo --data "$tmp/data" --port 0 >"$tmp/server.log" 2>&1 &
pid=$!
base=""
for _ in $(seq 1 300); do
  base=$(sed -n 's|^gongkai: serving on \(http://127\.0\.0\.1:[0-9]*/\).*|\1|p' "$tmp/server.log")
  [ -n "$base" ] && break
  kill -0 "$pid" 2>/dev/null || { echo "e2e: gongkai demo exited:" >&2; cat "$tmp/server.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$base" ] || { echo "e2e: gongkai demo printed no address in 30 s:" >&2; cat "$tmp/server.log" >&2; exit 1; }
# Wait until it answers the home page.
E2E_BASE_URL="$base" node -e '
  const until = Date.now() + 30000;
  (async () => {
    for (;;) {
      try { if ((await fetch(process.env.E2E_BASE_URL)).ok) return; } catch {}
      if (Date.now() > until) { console.error("e2e: no answer from " + process.env.E2E_BASE_URL); process.exit(1); }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();'
echo "e2e: portal at $base" >&2

status=0
for walk in portal story supervision; do
  E2E_BASE_URL="$base" E2E_SCREENSHOTS="$shots" E2E_DATA="$tmp/data" E2E_BIN="$bin" \
    node "e2e/$walk.mjs" || status=$?
done
if [ "$status" -ne 0 ]; then
  echo "e2e: server log (last lines):" >&2
  tail -n 20 "$tmp/server.log" >&2
fi
exit "$status"
