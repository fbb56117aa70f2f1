#!/usr/bin/env bash
# Load run: the release binary on loopback, wrk (Debian package) on page reads and searches
# (hostile queries included) for 60 s while an editor signs in and saves an article about five
# times a second; then `pykb check`. Passes only with zero connection errors, zero 5xx, every
# save accepted and a clean check.
# Usage: benches/load.sh [--duration SECONDS] [--connections N]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=60
connections=32
while [ $# -gt 0 ]; do
    case "$1" in
        --duration) duration="$2"; shift 2 ;;
        --connections) connections="$2"; shift 2 ;;
        *) echo "unknown option $1; use --duration SECONDS or --connections N" >&2; exit 2 ;;
    esac
done
if ! command -v wrk >/dev/null; then
    echo "== installing wrk" >&2
    sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq && $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk
fi
echo "== building the release binary" >&2
cargo build --release -q
work=$(mktemp -d)
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
password="load-test-password-$$"
base="http://127.0.0.1:$port"
PYKB_DATA_DIR="$work/data" PYKB_ADDR="127.0.0.1:$port" PYKB_ADMIN_PASSWORD="$password" \
    RUST_LOG=warn target/release/pykb > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
    curl -fs "$base/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done
curl -fs "$base/healthz" >/dev/null || { echo "the server did not become healthy" >&2; cat "$work/server.log" >&2; exit 1; }

# The URL list: every article, every topic, the home page, searches from the relevance set,
# and hostile queries (which may rightly answer 400, never 5xx).
{
    echo "/"
    curl -fs "$base/api/articles" | python3 -c '
import json, sys, urllib.parse
articles = json.load(sys.stdin)["articles"]
for a in articles:
    print("/q/" + a["slug"])
for tag in sorted({t for a in articles for t in a["tags"]}):
    print("/tags/" + tag)
'
    grep -v '^#' tests/app/relevance.txt | cut -d'|' -f1 | sed 's/[[:space:]]*$//' | grep -v '^$' | head -60 |
        python3 -c 'import sys, urllib.parse; [print("/search?q=" + urllib.parse.quote_plus(l.strip())) for l in sys.stdin]'
    python3 -c '
import urllib.parse
hostile = ["\"", "\"unbalanced", "AND OR NOT", "*" * 50, "~~~", "a" * 500, "%00", "\u202e\u0000x",
           "tag:memory difficulty:expert", "SELECT * FROM articles; --", "<script>alert(1)</script>",
           "((((((((((x", "list" + " OR list" * 60, "x" * 5000, "🐍 python 🐍", "__init__.py" * 20]
for q in hostile:
    print("/search?q=" + urllib.parse.quote_plus(q))
    print("/api/search?q=" + urllib.parse.quote_plus(q))
print("/api/suggest?q=gen")
print("/q/no-such-entry")
'
} > "$work/paths.txt"
echo "== $(wc -l < "$work/paths.txt") paths; ${duration}s of wrk with $connections connections, the editor saving beside it" >&2

python3 benches/load/editor.py "$base" "$password" "$duration" > "$work/editor.txt" &
editor_pid=$!
PYKB_PATHS="$work/paths.txt" wrk -t2 -c"$connections" -d"${duration}s" --latency -s benches/load/wrk.lua "$base" | tee "$work/wrk.txt"
wait "$editor_pid"
cat "$work/editor.txt"
echo "== pykb check" >&2
PYKB_DATA_DIR="$work/data" target/release/pykb check | tee "$work/check.txt"
rss_kb=$(ps -o rss= -p "$server_pid" | tr -d ' ')
echo "server resident memory after the run: $((rss_kb / 1024)) MiB"
# Where it is: heap and stacks (anonymous) or mapped files (the database, the index), and how
# many threads hold it.
awk '/^(Anonymous|Rss):/ {printf "  %s %d MiB\n", $1, $2 / 1024}' "/proc/$server_pid/smaps_rollup" 2>/dev/null || true
echo "  threads: $(ls "/proc/$server_pid/task" 2>/dev/null | wc -l)"

result=$(grep '^RESULT' "$work/wrk.txt")
editor=$(grep '^EDITOR' "$work/editor.txt")
fail=0
for field in connect_errors read_errors write_errors timeouts status_5xx; do
    value=$(echo "$result" | sed -n "s/.* $field=\([0-9]*\).*/\1/p")
    if [ "$value" != "0" ]; then echo "FAIL: $field=$value" >&2; fail=1; fi
done
echo "$editor" | grep -q 'saves_failed=0 ' || { echo "FAIL: the editor saw failures: $editor" >&2; fail=1; }
grep -q 'All checks passed' "$work/check.txt" || { echo "FAIL: pykb check" >&2; fail=1; }
if grep -qi 'panicked\|ERROR' "$work/server.log"; then echo "FAIL: errors in the server log:" >&2; grep -i 'panicked\|ERROR' "$work/server.log" | head >&2; fail=1; fi
[ "$fail" = 0 ] && echo "PASS: $result; $editor"
exit "$fail"
