#!/usr/bin/env bash
# Performance, side by side in one run (issue 8): pykb against nginx serving the identical HTML
# bytes from disk (and their precompressed gzip), pykb with its page cache off (and, for search, every
# cache off), and a Python peer (Flask + Python-Markdown +
# Pygments under gunicorn, SQLite FTS5 for search). Each server is pinned to core 1, wrk to
# core 0; the servers take turns (A/B/A/B) for N pairs over the same URL list, every response
# must be 2xx, and the table gives medians and ratios. Then search latency against the FTS5
# peer, pykb's resident memory after the load, and its start-up time with an existing index.
# Installs what it needs (wrk, nginx from Debian; Flask & co. from PyPI into a throwaway
# virtualenv) and cleans up after itself.
# Cached pages against nginx (issue 16) are measured for three kinds of request (no
# Accept-Encoding; gzip; "gzip, deflate, br" as browsers send, which pykb answers with brotli and
# nginx with its precompressed gzip) on three sets of pages (the largest, the median-size one,
# all article pages in turn), with each server's CPU time per request.
# Usage: benches/perf.sh [--pairs 5] [--seconds 10] [--smoke] [--cached-only] [--binary PATH]
#   --smoke: 1 pair of 2 s; --cached-only: only pykb's cached pages against nginx;
#   --binary: measure this pykb build instead of building target/release/pykb.
set -euo pipefail
# Benchmarks measure serving: no examples verified in the background beside it.
export PYKB_VERIFY=0
cd "$(dirname "$0")/.."
pairs=5
seconds=10
cached_only=0
pykb=""
while [ $# -gt 0 ]; do
    case "$1" in
        --pairs) pairs="$2"; shift 2 ;;
        --seconds) seconds="$2"; shift 2 ;;
        --smoke) pairs=1; seconds=2; shift ;;
        --cached-only) cached_only=1; shift ;;
        --binary) pykb="$2"; shift 2 ;;
        *) echo "unknown option $1; use --pairs N, --seconds S, --smoke, --cached-only or --binary PATH" >&2; exit 2 ;;
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

if [ -z "$pykb" ]; then
    echo "== building the release binary" >&2
    cargo build --release -q
    pykb=target/release/pykb
fi
if [ "$cached_only" = 0 ]; then
    echo "== the Python peer's virtualenv (flask, markdown, pygments, gunicorn, pysqlite3-binary from PyPI)" >&2
    python3 -m venv "$work/venv"
    "$work/venv/bin/pip" install -q flask markdown pygments gunicorn "pysqlite3-binary>=0.5.4"
fi

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
# gzip_static serves these where the client accepts gzip, as a careful operator would set it up.
gzip -9 -k "$work"/www/q/*
chmod -R a+rX "$work/www"
# The largest article page and the median-size one, by their HTML bytes.
ls -S "$work/www/q" | grep -v '\.gz$' | sed 's|^|/q/|' > "$work/by-size.txt"
head -1 "$work/by-size.txt" > "$work/largest.txt"
sed -n "$(( ($(wc -l < "$work/by-size.txt") + 1) / 2 ))p" "$work/by-size.txt" > "$work/median.txt"
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
    gzip_static on;
    # The headers pykb sends with every page (site_headers.rs).
    add_header Content-Security-Policy "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
    add_header X-Content-Type-Options nosniff;
    add_header Referrer-Policy strict-origin-when-cross-origin;
    add_header Cross-Origin-Opener-Policy same-origin;
    add_header Vary Accept-Encoding;
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
if [ "$cached_only" = 0 ]; then
PYKB_DATA_DIR="$work/data-a" "$pykb" backup "$work/peer.sqlite" >/dev/null
mkdir -p "$work/data-b"
cp "$work/peer.sqlite" "$work/data-b/pykb.sqlite"
# Uncached pages: page cache off, search memos on (an article page's "more like this" list is
# remembered, as on a live site; without the memo each page also runs that query). Search
# with every cache off is a server of its own.
port_b=$(free_port)
PYKB_DATA_DIR="$work/data-b" PYKB_ADDR="127.0.0.1:$port_b" PYKB_PAGE_CACHE=0 RUST_LOG=warn \
    taskset -c 1 "$pykb" &
pids+=($!); pid_b=$!
wait_ok "http://127.0.0.1:$port_b/healthz"
mkdir -p "$work/data-c"
cp "$work/peer.sqlite" "$work/data-c/pykb.sqlite"
port_c=$(free_port)
PYKB_DATA_DIR="$work/data-c" PYKB_ADDR="127.0.0.1:$port_c" PYKB_PAGE_CACHE=0 PYKB_SEARCH_CACHE=0 RUST_LOG=warn \
    taskset -c 1 "$pykb" &
pids+=($!); pid_c=$!
wait_ok "http://127.0.0.1:$port_c/healthz"
port_p=$(free_port)
PEER_DATABASE="$work/peer.sqlite" taskset -c 1 "$work/venv/bin/gunicorn" --workers 2 --log-level warning \
    --chdir benches/perf --bind "127.0.0.1:$port_p" peer:app &
pids+=($!); pid_p=$!
wait_ok "http://127.0.0.1:$port_p$(head -1 "$work/pages.txt")"
fi

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
# well below while wrk's core is full: the client is) and its CPU time per request.
run() { # name url paths connections seconds server-pid [accept-encoding]
    local out before after
    before=$(ticks "$6")
    out=$(PERF_PATHS="$3" PERF_ACCEPT_ENCODING="${7:-}" taskset -c 0 wrk -t1 -c"$4" -d"$5"s --latency -s benches/perf/wrk.lua "$2" | grep '^RESULT')
    after=$(ticks "$6")
    out="$out server_cpu_pct=$(( (after - before) * 100 / hz / $5 )) server_cpu_ticks=$((after - before))"
    echo "$1 $out" >> "$work/results.txt"
    echo "  $1: $out" >&2
}

echo "== warm-up" >&2
targets=("pykb $base_a" "nginx http://127.0.0.1:$port_n")
[ "$cached_only" = 0 ] && targets+=("pykb-nocache http://127.0.0.1:$port_b" "python http://127.0.0.1:$port_p")
for target in "${targets[@]}"; do
    set -- $target
    for encoding in "" "gzip" "gzip, deflate, br"; do
        PERF_PATHS="$work/pages.txt" PERF_ACCEPT_ENCODING="$encoding" taskset -c 0 wrk -t1 -c16 -d1s -s benches/perf/wrk.lua "$2" >/dev/null
    done
done
: > "$work/results.txt"
echo "== cached pages against nginx: $pairs rounds of ${seconds}s for each request kind and page set, 64 connections, servers in turn" >&2
for round in $(seq 1 "$pairs"); do
    for set in largest median pages; do
        for kind in identity gzip browser; do
            case "$kind" in identity) encoding="" ;; gzip) encoding="gzip" ;; browser) encoding="gzip, deflate, br" ;; esac
            run "pykb/$set/$kind" "$base_a" "$work/$set.txt" 64 "$seconds" "$pid_a" "$encoding"
            run "nginx/$set/$kind" "http://127.0.0.1:$port_n" "$work/$set.txt" 64 "$seconds" "$pid_n" "$encoding"
        done
    done
done

if [ "$cached_only" = 0 ]; then
# Every server sees each query once before the measured runs (pykb's search cache then holds
# them, as it would popular queries; the search-nocache row is the index's own cost).
for target in "$base_a" "http://127.0.0.1:$port_c" "http://127.0.0.1:$port_p"; do
    while read -r path; do curl -fs -o /dev/null "$target$path"; done < "$work/searches.txt"
done
echo "== uncached article pages: $pairs rounds of ${seconds}s each, 64 connections" >&2
for round in $(seq 1 "$pairs"); do
    run pykb-nocache "http://127.0.0.1:$port_b" "$work/pages.txt" 64 "$seconds" "$pid_b"
    run python "http://127.0.0.1:$port_p" "$work/pages.txt" 64 "$seconds" "$pid_p"
done
echo "== search: $pairs rounds, 16 connections" >&2
for round in $(seq 1 "$pairs"); do
    run search-pykb "$base_a" "$work/searches.txt" 16 "$seconds" "$pid_a"
    run search-nocache "http://127.0.0.1:$port_c" "$work/searches.txt" 16 "$seconds" "$pid_c"
    run search-python "http://127.0.0.1:$port_p" "$work/searches.txt" 16 "$seconds" "$pid_p"
done
fi
rss_kb=$(ps -o rss= -p "$pid_a" | tr -d ' ')

: > "$work/startup.txt"
if [ "$cached_only" = 0 ]; then
echo "== start-up with an existing index" >&2
kill "$pid_a"; wait "$pid_a" 2>/dev/null || true
first=$(head -1 "$work/pages.txt")
for attempt in 1 2 3; do
    start=$(date +%s%N)
    PYKB_DATA_DIR="$work/data-a" PYKB_ADDR="127.0.0.1:$port_a" RUST_LOG=warn "$pykb" &
    pid=$!
    until curl -fs -o /dev/null "$base_a$first"; do sleep 0.005; done
    echo $(( ($(date +%s%N) - start) / 1000000 )) >> "$work/startup.txt"
    kill "$pid"; wait "$pid" 2>/dev/null || true
done
fi

python3 - "$work/results.txt" "$rss_kb" "$work/startup.txt" "$hz" \
    "$(head -1 "$work/largest.txt") $(wc -c < "$work/www$(head -1 "$work/largest.txt")")" \
    "$(head -1 "$work/median.txt") $(wc -c < "$work/www$(head -1 "$work/median.txt")")" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, _, *fields = line.split()
    values = dict(f.split("=") for f in fields)
    rows.setdefault(name, []).append({k: float(v) for k, v in values.items()})
hz = float(sys.argv[4])
med = lambda name, key: statistics.median(r[key] for r in rows[name])
# CPU time per request, in microseconds, of each run.
cpu_us = lambda name: statistics.median(r["server_cpu_ticks"] / hz * 1e6 / max(r["requests"], 1) for r in rows[name])
bad = sum(r["non2xx"] + r["errors"] for rs in rows.values() for r in rs)
runs = len(next(iter(rows.values())))
print()
print(f"cached pages against nginx, medians of {runs} runs each; CPU: the server's time per request")
print(f"largest page: {sys.argv[5]} bytes; median page: {sys.argv[6]} bytes; pages: every article page in turn")
print()
print(f"| pages | request | pykb req/s | nginx req/s | ratio | p99 pykb / nginx ms | p99 ratio | CPU µs/req pykb / nginx |")
print(f"|---|---|---:|---:|---:|---:|---:|---:|")
kinds = {"identity": "no Accept-Encoding", "gzip": "gzip", "browser": "gzip, deflate, br"}
worst = []
for page_set in ["largest", "median", "pages"]:
    for kind, label in kinds.items():
        a, b = f"pykb/{page_set}/{kind}", f"nginx/{page_set}/{kind}"
        ratio, p99 = med(a, "rps") / med(b, "rps"), med(a, "p99_ms") / med(b, "p99_ms")
        worst.append((ratio, p99))
        print(f"| {page_set} | {label} | {med(a,'rps'):,.0f} | {med(b,'rps'):,.0f} | {ratio:.2f}× | "
              f"{med(a,'p99_ms'):.2f} / {med(b,'p99_ms'):.2f} | {p99:.2f}× | {cpu_us(a):.1f} / {cpu_us(b):.1f} |")
print()
print(f"lowest req/s ratio {min(r for r, _ in worst):.2f} (target >= 1.0); highest p99 ratio {max(p for _, p in worst):.2f} (target <= 1.2)")
if "pykb-nocache" in rows:
    print()
    print(f"{'server':<14}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'CPU %':>8}   (medians of {runs} runs)")
    for name in ["pykb-nocache", "python", "search-pykb", "search-nocache", "search-python"]:
        print(f"{name:<14}{med(name,'rps'):>10.0f}{med(name,'p50_ms'):>10.2f}{med(name,'p99_ms'):>10.2f}{med(name,'server_cpu_pct'):>8.0f}")
    ratio = lambda a, b, k: med(a, k) / med(b, k)
    print()
    print(f"pykb no cache / nginx req/s    {ratio('pykb-nocache','nginx/pages/identity','rps'):.2f}   (target >= 0.3)")
    print(f"pykb / Python peer req/s       {ratio('pykb/pages/identity','python','rps'):.1f}   (target >= 20)")
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
