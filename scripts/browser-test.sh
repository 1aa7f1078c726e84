#!/usr/bin/env bash
# The live explorer in a real browser: starts `genlab serve` on a free loopback port with a fresh
# result folder, drives its page with Selenium in headless Chromium (scripts/serve_browser.py:
# 1400 and 400 px, the width double-descent experiment at tiny settings, a slider moved, a bad
# value, a run watched to its verdict, a second run cancelled, a shared link reopened, no console
# error), then stops the server with SIGTERM, which must exit cleanly leaving only whole points.
# Installs Debian's chromium, chromium-driver and python3-selenium if missing. Screenshots go to
# docs/ (serve-1400.png, serve-400.png; SHOTS=DIR elsewhere). Needs a built genlab (GENLAB=path,
# else .build/debug or .build/release).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
missing=()
command -v chromium >/dev/null || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
/usr/bin/python3 -c "import selenium" 2>/dev/null || missing+=(python3-selenium)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing: ${missing[*]} (the serve browser test)" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
fi
genlab=${GENLAB:-}
for candidate in .build/debug/genlab .build/release/genlab; do
  [ -z "$genlab" ] && [ -x "$candidate" ] && genlab=$candidate
done
[ -n "$genlab" ] || { echo "browser-test: no genlab built (swift build, or set GENLAB)" >&2; exit 1; }
shots=${SHOTS:-docs}
mkdir -p "$shots"
work=$(mktemp -d /tmp/genlab-serve-browser.XXXXXX)
server=""
cleanup() { [ -n "$server" ] && kill -9 "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
"$genlab" serve --port 0 --out "$work/out" > "$work/serve.log" 2>&1 &
server=$!
url=""
for _ in $(seq 1 300); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$work/serve.log" | head -n 1 || true)
  [ -n "$url" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; echo "browser-test: genlab serve exited" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { cat "$work/serve.log" >&2; echo "browser-test: genlab serve printed no address" >&2; exit 1; }
status=0
/usr/bin/python3 scripts/serve_browser.py "$url" --shots "$shots" || status=$?
# SIGTERM while a run computes: the run stopped, the server gone within 10 s with status 0.
curl -sf -X POST -H 'Content-Type: application/json' "${url}api/runs" \
  -d '{"experiment": "double-descent-width", "scale": "tiny", "settings": {"epochs": "300", "widths": "32,64,128,256"}}' > "$work/run.json" || { echo "browser-test: could not start a run to interrupt" >&2; status=1; }
for _ in $(seq 1 100); do curl -sf "${url}api/runs" | grep -q '"state":"running"' && break; sleep 0.1; done
kill -TERM "$server"
for _ in $(seq 1 100); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$server" 2>/dev/null; then echo "browser-test: genlab serve still running 10 s after SIGTERM" >&2; status=1; fi
served=0; wait "$server" || served=$?
server=""
[ "$served" = 0 ] || { cat "$work/serve.log" >&2; echo "browser-test: genlab serve exited with $served after SIGTERM" >&2; status=1; }
if pgrep -f -- "--out $work/out/" >/dev/null; then echo "browser-test: a run outlived the server" >&2; status=1; fi
# Only whole points: no temporary file, and every point file parses as JSON.
if find "$work/out" -name '.*.tmp-*' | grep -q .; then echo "browser-test: temporary files left in the result folder" >&2; status=1; fi
for f in $(find "$work/out" -path '*/points/*.json'); do
  /usr/bin/python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$f" || { echo "browser-test: torn point $f" >&2; status=1; }
done
[ "$status" = 0 ] && echo "browser-test: passed in $(( $(date +%s) - started )) s (screenshots in $shots/)"
exit $status
