#!/usr/bin/env bash
# Requests per second of an article page (from the page cache, and rendered each time) and of
# a search (results memo off), for: SQLite with one node; PostgreSQL with one node; PostgreSQL
# with two nodes on one database. Each node is pinned to a core of its own (taskset: node 1 on
# core 0, node 2 on core 1); PostgreSQL and wrk (Debian package) run on the same machine,
# unpinned. With two nodes, one wrk per node runs at the same time and their sum is reported.
# All figures come from the same run, so they compare with each other, not with other days.
#
# Usage: PYKB_BENCH_POSTGRES_URL=postgres://USER:PASSWORD@HOST:PORT/postgres \
#          benches/nodes.sh [--duration SECONDS] [--connections N] [--binary PATH]
# The URL's user must be allowed to create databases: the run makes pykb_bench_<pid> and drops it.
set -euo pipefail
export PYKB_VERIFY=0
cd "$(dirname "$0")/.."
duration=10
connections=16
binary=""
while [ $# -gt 0 ]; do
    case "$1" in
        --duration) duration="$2"; shift 2 ;;
        --connections) connections="$2"; shift 2 ;;
        --binary) binary="$2"; shift 2 ;;
        *) echo "unknown option $1; use --duration SECONDS, --connections N or --binary PATH" >&2; exit 2 ;;
    esac
done
server="${PYKB_BENCH_POSTGRES_URL:-}"
if [ -z "$server" ]; then
    echo "set PYKB_BENCH_POSTGRES_URL to a PostgreSQL server where this user may create databases" >&2
    exit 2
fi
if ! command -v wrk >/dev/null; then
    echo "== installing wrk" >&2
    sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq && $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk
fi
for tool in taskset psql curl; do
    command -v "$tool" >/dev/null || { echo "$tool is needed (Debian: util-linux, postgresql-client, curl)" >&2; exit 2; }
done
if [ -z "$binary" ]; then
    echo "== building the release binary" >&2
    cargo build --release -q
    binary=target/release/pykb
fi
work=$(mktemp -d)
database="pykb_bench_$$"
# The server URL with the bench database in place of its own.
url=$(python3 - "$server" "$database" <<'PY'
import sys
from urllib.parse import urlsplit, urlunsplit
parts = urlsplit(sys.argv[1])
print(urlunsplit(parts._replace(path="/" + sys.argv[2])))
PY
)
pids=()
stop_nodes() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    pids=()
}
cleanup() {
    stop_nodes
    psql --quiet --no-psqlrc "$server" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
psql --quiet --no-psqlrc "$server" -c "CREATE DATABASE $database" >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_node CORE DATA_DIR [VAR=VALUE...]: starts a node pinned to CORE and adds its base URL
# to `bases` (no subshell: the node's pid must reach `pids`).
start_node() {
    local core=$1 data=$2; shift 2
    local port; port=$(free_port)
    env PYKB_DATA_DIR="$data" PYKB_ADDR="127.0.0.1:$port" RUST_LOG=warn "$@" \
        taskset -c "$core" "$binary" > "$data.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 1 1200); do
        if curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then
            bases+=("http://127.0.0.1:$port")
            return
        fi
        sleep 0.1
    done
    echo "the node on core $core did not become healthy; its log: $data.log" >&2
    exit 1
}

# rate PATH BASE...: requests/s of PATH, one wrk per base at once, summed.
rate() {
    local path=$1; shift
    local outs=() wrk_pids=()
    for base in "$@"; do
        local out; out=$(mktemp -p "$work")
        outs+=("$out")
        wrk -t1 -c"$connections" -d"${duration}s" "$base$path" > "$out" 2>&1 &
        wrk_pids+=($!)
    done
    for pid in "${wrk_pids[@]}"; do wait "$pid"; done
    local total=0
    for out in "${outs[@]}"; do
        if grep -q "Non-2xx" "$out"; then
            echo "non-2xx answers for $path: $(grep Non-2xx "$out")" >&2
        fi
        total=$(python3 -c "print($total + float('$(awk '/Requests\/sec/ {print $2}' "$out")'))")
    done
    printf '%.0f' "$total"
}

page=/q/releasing-memory-in-python
search="/api/search?q=garbage+collector+cycles"
declare -A figures
bases=()
measure() {
    local name=$1; shift
    # Cached pages: the page cache on.
    launch "$@" PYKB_PAGE_CACHE=1 PYKB_SEARCH_CACHE=0
    echo "== $name: cached page" >&2
    figures["$name,cached"]=$(rate "$page" "${bases[@]}")
    echo "== $name: search" >&2
    figures["$name,search"]=$(rate "$search" "${bases[@]}")
    stop_nodes
    launch "$@" PYKB_PAGE_CACHE=0 PYKB_SEARCH_CACHE=0
    echo "== $name: uncached page" >&2
    figures["$name,uncached"]=$(rate "$page" "${bases[@]}")
    stop_nodes
}

nodes=1
launch() {
    bases=()
    start_node 0 "$work/node1" "$@"
    if [ "$nodes" -eq 2 ]; then
        start_node 1 "$work/node2" "$@"
    fi
}

# Every start serves the seed of a fresh data directory (SQLite) or of the bench database.
rm -rf "$work/node1" "$work/node2"
nodes=1; measure "sqlite, 1 node"
rm -rf "$work/node1"
nodes=1; measure "postgres, 1 node" PYKB_DATABASE_URL="$url"
nodes=2; measure "postgres, 2 nodes" PYKB_DATABASE_URL="$url"

echo
echo "requests/s, $duration s each, $connections connections per node ($(nproc) cores, $(psql --no-psqlrc -tA "$server" -c 'SHOW server_version'))"
printf '| %-18s | %12s | %14s | %8s |\n' setup "cached page" "uncached page" search
printf '|%s|%s|%s|%s|\n' "--------------------" "-------------:" "---------------:" "---------:"
for name in "sqlite, 1 node" "postgres, 1 node" "postgres, 2 nodes"; do
    printf '| %-18s | %12s | %14s | %8s |\n' "$name" "${figures[$name,cached]}" \
        "${figures[$name,uncached]}" "${figures[$name,search]}"
done
