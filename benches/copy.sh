#!/usr/bin/env bash
# How long `pykb copy` takes to move a site from its SQLite file into PostgreSQL and back into
# a new SQLite file, and what each copy takes on disk; a SQLite-to-SQLite copy of the same site
# in the same run as the peer. Use a data directory kept by benches/scale.sh (`--keep DIR`)
# for a big site; the source is only read.
#
# Usage: PYKB_BENCH_POSTGRES_URL=postgres://USER:PASSWORD@HOST:PORT/postgres \
#          benches/copy.sh --data DIR [--binary PATH]
# The URL's user must be allowed to create databases: the run makes pykb_bench_copy_<pid> and
# drops it.
set -euo pipefail
cd "$(dirname "$0")/.."
data=""
binary=""
while [ $# -gt 0 ]; do
    case "$1" in
        --data) data="$2"; shift 2 ;;
        --binary) binary="$2"; shift 2 ;;
        *) echo "unknown option $1; use --data DIR or --binary PATH" >&2; exit 2 ;;
    esac
done
server="${PYKB_BENCH_POSTGRES_URL:-}"
if [ -z "$server" ] || [ -z "$data" ]; then
    echo "usage: PYKB_BENCH_POSTGRES_URL=postgres://… benches/copy.sh --data DIR [--binary PATH]" >&2
    exit 2
fi
[ -f "$data/pykb.sqlite" ] || { echo "no pykb.sqlite in $data" >&2; exit 2; }
command -v psql >/dev/null || { echo "psql is needed (Debian: postgresql-client)" >&2; exit 2; }
if [ -z "$binary" ]; then
    echo "== building the release binary" >&2
    cargo build --release -q
    binary=target/release/pykb
fi
work=$(mktemp -d)
database="pykb_bench_copy_$$"
url=$(python3 - "$server" "$database" <<'PY'
import sys
from urllib.parse import urlsplit, urlunsplit
parts = urlsplit(sys.argv[1])
print(urlunsplit(parts._replace(path="/" + sys.argv[2])))
PY
)
cleanup() {
    psql --quiet --no-psqlrc "$server" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
psql --quiet --no-psqlrc "$server" -c "CREATE DATABASE $database" >/dev/null

# timed NAME ARGS...: runs `pykb ARGS` (its progress on stderr shows) and prints the seconds.
# (Python's sqlite3 module may be too old to read the schema, so pykb's own output says what
# was copied.)
timed() {
    local name=$1; shift
    local start end
    start=$(date +%s.%N)
    RUST_LOG=warn PYKB_DATA_DIR="$work" "$binary" "$@" > "$work/out"
    end=$(date +%s.%N)
    python3 -c "print(f'{\"$name\":<22} {$end - $start:8.1f} s')"
}

echo "== $(du -h "$data/pykb.sqlite" | cut -f1) SQLite file"
timed "sqlite -> sqlite" copy --from "sqlite://$data/pykb.sqlite" --to "sqlite://$work/peer.sqlite" --sessions
timed "sqlite -> postgres" copy --from "sqlite://$data/pykb.sqlite" --to "$url" --sessions
timed "postgres -> sqlite" copy --from "$url" --to "sqlite://$work/back.sqlite" --sessions
echo "sizes: SQLite peer $(du -h "$work/peer.sqlite" | cut -f1), PostgreSQL $(psql --no-psqlrc -At "$server" -c "SELECT pg_size_pretty(pg_database_size('$database'))"), back in SQLite $(du -h "$work/back.sqlite" | cut -f1)"
