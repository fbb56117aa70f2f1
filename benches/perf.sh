#!/usr/bin/env bash
# Performance, side by side in one run (issue 8): pykb against nginx serving the identical HTML
# bytes from disk, pykb with its page and search caches off, and a Python peer (Flask + Python-Markdown +
# Pygments under gunicorn, SQLite FTS5 for search). Each server is pinned to core 1, wrk to
# core 0; the servers take turns (A/B/A/B) for N pairs over the same URL list, every response
# must be 2xx, and the table gives medians and ratios. Then search latency against the FTS5
# peer, pykb's resident memory after the load, and its start-up time with an existing index.
# Installs what it needs (wrk, nginx from Debian; Flask & co. from PyPI into a throwaway
# virtualenv) and cleans up after itself.
# Usage: benches/perf.sh [--pairs 5] [--seconds 10] [--smoke]   (--smoke: 1 pair of 2 s)
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=5
seconds=10
while [ $# -gt 0 ]; do
    case "$1" in
        --pairs) pairs="$2"; shift 2 ;;
        --seconds) seconds="$2"; shift 2 ;;
        --smoke) pairs=1; seconds=2; shift ;;
        *) echo "unknown option $1; use --pairs N, --seconds S or --smoke" >&2; exit 2 ;;
    esac
done

sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v taskset >/dev/null || need+=(util-linux)
python3 -m venv --help >/dev/null 2>&1 || need+=(python3-venv)
if [ ${#need[@]} -gt 0 ]; then
    echo "== installing ${need[*]}" >&2
    $sudo_cmd apt-get update -qq
    $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

echo "== building the release binary" >&2
cargo build --release -q
pykb=target/release/pykb
echo "== the Python peer's virtualenv (flask, markdown, pygments, gunicorn from PyPI)" >&2
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q flask markdown pygments gunicorn

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_ok() { # url
    for _ in $(seq 1 300); do curl -fs -o /dev/null "$1" && return 0; sleep 0.05; done
    echo "no answer from $1" >&2; return 1
}

# pykb with its cache, on a fresh (seeded) data directory.
port_a=$(free_port)
PYKB_DATA_DIR="$work/data-a" PYKB_ADDR="127.0.0.1:$port_a" RUST_LOG=warn taskset -c 1 "$pykb" &
pids+=($!); pid_a=$!
wait_ok "http://127.0.0.1:$port_a/healthz"
base_a="http://127.0.0.1:$port_a"

curl -fs "$base_a/api/articles" | python3 -c '
import json, sys
for a in json.load(sys.stdin)["articles"]:
    print("/q/" + a["slug"])' > "$work/pages.txt"
grep -v '^#' tests/app/relevance.txt | cut -d'|' -f1 | sed 's/[[:space:]]*$//' | grep -v '^$' |
    python3 -c 'import sys, urllib.parse; [print("/api/search?q=" + urllib.parse.quote_plus(l.strip())) for l in sys.stdin]' > "$work/searches.txt"
echo "== $(wc -l < "$work/pages.txt") article pages, $(wc -l < "$work/searches.txt") search queries" >&2

# nginx serves the very bytes pykb sends.
mkdir -p "$work/www/q"
while read -r path; do curl -fs "$base_a$path" -o "$work/www$path"; done < "$work/pages.txt"
chmod -R a+rX "$work/www"
port_n=$(free_port)
mkdir -p "$work/nginx-tmp"
cat > "$work/nginx.conf" <<NGINX
$([ "$(id -u)" -eq 0 ] && echo "user root;")
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path $work/nginx-tmp;
    proxy_temp_path $work/nginx-tmp;
    fastcgi_temp_path $work/nginx-tmp;
    uwsgi_temp_path $work/nginx-tmp;
    scgi_temp_path $work/nginx-tmp;
    server {
        listen 127.0.0.1:$port_n;
        root $work/www;
        default_type "text/html; charset=utf-8";
        location / { try_files \$uri =404; }
    }
}
NGINX
taskset -c 1 "$nginx_bin" -c "$work/nginx.conf" -p "$work" &
pids+=($!); pid_n=$!
wait_ok "http://127.0.0.1:$port_n$(head -1 "$work/pages.txt")"

# The same data for pykb without cache and for the Python peer.
PYKB_DATA_DIR="$work/data-a" "$pykb" backup "$work/peer.sqlite" >/dev/null
mkdir -p "$work/data-b"
cp "$work/peer.sqlite" "$work/data-b/pykb.sqlite"
port_b=$(free_port)
PYKB_DATA_DIR="$work/data-b" PYKB_ADDR="127.0.0.1:$port_b" PYKB_PAGE_CACHE=0 PYKB_SEARCH_CACHE=0 RUST_LOG=warn \
    taskset -c 1 "$pykb" &
pids+=($!); pid_b=$!
wait_ok "http://127.0.0.1:$port_b/healthz"
port_p=$(free_port)
PEER_DATABASE="$work/peer.sqlite" taskset -c 1 "$work/venv/bin/gunicorn" --workers 2 --log-level warning \
    --chdir benches/perf --bind "127.0.0.1:$port_p" peer:app &
pids+=($!); pid_p=$!
wait_ok "http://127.0.0.1:$port_p$(head -1 "$work/pages.txt")"

# CPU time (clock ticks) used so far by these processes and their children (nginx's and
# gunicorn's workers).
ticks() {
    local total=0 p
    for p in "$@" $(for q in "$@"; do pgrep -P "$q" || true; done); do
        [ -r "/proc/$p/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
    done
    echo "$total"
}
hz=$(getconf CLK_TCK)

# One measured run; also how busy the server's core was (near 100%: the server is the limit;
# well below while wrk's core is full: the client is).
run() { # name url paths connections seconds server-pid
    local out before after
    before=$(ticks "$6")
    out=$(PERF_PATHS="$3" taskset -c 0 wrk -t1 -c"$4" -d"$5"s --latency -s benches/perf/wrk.lua "$2" | grep '^RESULT')
    after=$(ticks "$6")
    out="$out server_cpu_pct=$(( (after - before) * 100 / hz / $5 ))"
    echo "$1 $out" >> "$work/results.txt"
    echo "  $1: $out" >&2
}

echo "== warm-up" >&2
for target in "pykb $base_a" "nginx http://127.0.0.1:$port_n" "pykb-nocache http://127.0.0.1:$port_b" "python http://127.0.0.1:$port_p"; do
    set -- $target
    PERF_PATHS="$work/pages.txt" taskset -c 0 wrk -t1 -c16 -d2s -s benches/perf/wrk.lua "$2" >/dev/null
done
# Every server sees each query once before the measured runs (pykb's search cache then holds
# them, as it would popular queries; the search-nocache row is the index's own cost).
for target in "$base_a" "http://127.0.0.1:$port_b" "http://127.0.0.1:$port_p"; do
    while read -r path; do curl -fs -o /dev/null "$target$path"; done < "$work/searches.txt"
done
: > "$work/results.txt"
echo "== article pages: $pairs rounds of ${seconds}s each, 64 connections, servers in turn" >&2
for round in $(seq 1 "$pairs"); do
    run pykb "$base_a" "$work/pages.txt" 64 "$seconds" "$pid_a"
    run nginx "http://127.0.0.1:$port_n" "$work/pages.txt" 64 "$seconds" "$pid_n"
    run pykb-nocache "http://127.0.0.1:$port_b" "$work/pages.txt" 64 "$seconds" "$pid_b"
    run python "http://127.0.0.1:$port_p" "$work/pages.txt" 64 "$seconds" "$pid_p"
done
echo "== search: $pairs rounds, 16 connections" >&2
for round in $(seq 1 "$pairs"); do
    run search-pykb "$base_a" "$work/searches.txt" 16 "$seconds" "$pid_a"
    run search-nocache "http://127.0.0.1:$port_b" "$work/searches.txt" 16 "$seconds" "$pid_b"
    run search-python "http://127.0.0.1:$port_p" "$work/searches.txt" 16 "$seconds" "$pid_p"
done
rss_kb=$(ps -o rss= -p "$pid_a" | tr -d ' ')

echo "== start-up with an existing index" >&2
kill "$pid_a"; wait "$pid_a" 2>/dev/null || true
first=$(head -1 "$work/pages.txt")
: > "$work/startup.txt"
for attempt in 1 2 3; do
    start=$(date +%s%N)
    PYKB_DATA_DIR="$work/data-a" PYKB_ADDR="127.0.0.1:$port_a" RUST_LOG=warn "$pykb" &
    pid=$!
    until curl -fs -o /dev/null "$base_a$first"; do sleep 0.005; done
    echo $(( ($(date +%s%N) - start) / 1000000 )) >> "$work/startup.txt"
    kill "$pid"; wait "$pid" 2>/dev/null || true
done

python3 - "$work/results.txt" "$rss_kb" "$work/startup.txt" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, _, *fields = line.split()
    values = dict(f.split("=") for f in fields)
    rows.setdefault(name, []).append({k: float(v) for k, v in values.items()})
med = lambda name, key: statistics.median(r[key] for r in rows[name])
bad = sum(r["non2xx"] + r["errors"] for rs in rows.values() for r in rs)
print()
print(f"{'server':<14}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'CPU %':>8}   (medians of {len(rows['pykb'])} runs; CPU: the server's, of its one core)")
for name in ["pykb", "nginx", "pykb-nocache", "python", "search-pykb", "search-nocache", "search-python"]:
    print(f"{name:<14}{med(name,'rps'):>10.0f}{med(name,'p50_ms'):>10.2f}{med(name,'p99_ms'):>10.2f}{med(name,'server_cpu_pct'):>8.0f}")
ratio = lambda a, b, k: med(a, k) / med(b, k)
print()
print(f"pykb / nginx requests/s        {ratio('pykb','nginx','rps'):.2f}   (target >= 1.0)")
print(f"pykb / nginx p99               {ratio('pykb','nginx','p99_ms'):.2f}   (target <= 1.2)")
per_request = lambda name: med(name, 'server_cpu_pct') / med(name, 'rps')
print(f"  CPU per request, nginx / pykb {per_request('nginx') / per_request('pykb'):.2f}   (the same ratio when the server, not wrk, is the limit)")
print(f"pykb no cache / nginx req/s    {ratio('pykb-nocache','nginx','rps'):.2f}   (target >= 0.3)")
print(f"pykb / Python peer req/s       {ratio('pykb','python','rps'):.1f}   (target >= 20)")
print(f"search p99 pykb                {med('search-pykb','p99_ms'):.2f} ms (target <= 10)")
print(f"search pykb / Python FTS5 req/s {ratio('search-pykb','search-python','rps'):.1f}   (target >= 10)")
print(f"search p99, search cache off   {med('search-nocache','p99_ms'):.2f} ms")
print(f"  same / Python FTS5 req/s     {ratio('search-nocache','search-python','rps'):.1f}")
startup = sorted(int(l) for l in open(sys.argv[3]) if l.strip())
print(f"resident memory after the load {int(sys.argv[2]) / 1024:.0f} MiB (target <= 150)")
print(f"start-up to first page         {statistics.median(startup)} ms median of {startup} (target <= 1000)")
print(f"non-2xx responses or errors    {int(bad)}")
sys.exit(1 if bad else 0)
PY
