#!/usr/bin/env bash
# Load run: the release binary on loopback, wrk (Debian package) on page reads and searches
# (hostile queries included) for 60 s while an editor signs in and saves an article about five
# times a second; then `pykb check`. Passes only with zero connection errors, zero 5xx, every
# save accepted and a clean check. Prints the server's resident memory at the end (peak and now).
# --data DIR runs on an existing data directory (one `benches/scale.sh --keep DIR` made, say)
# instead of a fresh seeded one; its admin's password is set to this run's. --binary PATH uses
# that build instead of building target/release/pykb.
# Usage: benches/load.sh [--duration SECONDS] [--connections N] [--data DIR] [--binary PATH]
set -euo pipefail
# Benchmarks measure serving: no examples verified in the background beside it.
export PYKB_VERIFY=0
cd "$(dirname "$0")/.."
duration=60
connections=32
data=""
binary=""
while [ $# -gt 0 ]; do
    case "$1" in
        --duration) duration="$2"; shift 2 ;;
        --connections) connections="$2"; shift 2 ;;
        --data) data="$2"; shift 2 ;;
        --binary) binary="$2"; shift 2 ;;
        *) echo "unknown option $1; use --duration SECONDS, --connections N, --data DIR or --binary PATH" >&2; exit 2 ;;
    esac
done
if ! command -v wrk >/dev/null; then
    echo "== installing wrk" >&2
    sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq && $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk
fi
if [ -z "$binary" ]; then
    echo "== building the release binary" >&2
    cargo build --release -q
    binary=target/release/pykb
fi
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
if [ -z "$data" ]; then
    data="$work/data"
elif [ -f "$data/pykb.sqlite" ]; then
    # An existing admin keeps its password otherwise (PYKB_ADMIN_PASSWORD only makes the first).
    users=$(PYKB_DATA_DIR="$data" "$binary" user list | cut -f1)
    if grep -qx admin <<< "$users"; then
        printf '%s\n' "$password" | PYKB_DATA_DIR="$data" "$binary" user passwd admin >&2
    fi
fi
PYKB_DATA_DIR="$data" PYKB_ADDR="127.0.0.1:$port" PYKB_ADMIN_PASSWORD="$password" \
    RUST_LOG=warn "$binary" > "$work/server.log" 2>&1 &
server_pid=$!
# Long enough for a first start that builds the search index of 100,000 articles.
for _ in $(seq 1 3000); do
    curl -fs "$base/healthz" >/dev/null 2>&1 && break
    sleep 0.2
done
curl -fs "$base/healthz" >/dev/null || { echo "the server did not become healthy" >&2; cat "$work/server.log" >&2; exit 1; }

# The URL list: every article (the API's pages followed to the end), every topic, the home
# page, searches from the relevance set, and hostile queries (which may rightly answer 400,
# never 5xx).
{
    echo "/"
    python3 - "$base" <<'PY'
import json, sys, urllib.request
url, tags = sys.argv[1] + "/api/articles?limit=1000", set()
while url:
    with urllib.request.urlopen(url) as response:
        page = json.load(response)
    for a in page["articles"]:
        print("/q/" + a["slug"])
        tags.update(a["tags"])
    url = page["next"]
for tag in sorted(tags):
    print("/tags/" + tag)
PY
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
PYKB_DATA_DIR="$data" "$binary" check | tee "$work/check.txt"
awk '/^VmHWM:/ {peak = $2} /^VmRSS:/ {now = $2}
     END {printf "server resident memory: peak (VmHWM) %d MiB, after the run (VmRSS) %d MiB\n", peak / 1024, now / 1024}' \
    "/proc/$server_pid/status" 2>/dev/null || true
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
