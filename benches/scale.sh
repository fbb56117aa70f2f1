#!/usr/bin/env bash
# Scale run (issue 15): the Python 3.11 documentation (Debian's python3.11-doc, installed here if
# missing) as N articles, reused with a suffix past the ~11,000 it holds, imported into a fresh
# data directory; then import time, start-up, saves, page sizes and latency, search p50/p99 and
# memory beside the 62 seed articles, from benches/scale.py. Not a timed test: a figure sheet.
# --keep DIR keeps the imported data directory (for `benches/load.sh --data DIR`).
# Usage: benches/scale.sh [--articles 100000] [--saves 40] [--binary PATH] [--keep DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
articles=100000
saves=40
binary=""
keep=()
while [ $# -gt 0 ]; do
    case "$1" in
        --articles) articles="$2"; shift 2 ;;
        --saves) saves="$2"; shift 2 ;;
        --binary) binary="$2"; shift 2 ;;
        --keep) keep=(--keep "$2"); shift 2 ;;
        *) echo "unknown option $1; use --articles N, --saves N, --binary PATH or --keep DIR" >&2; exit 2 ;;
    esac
done
if [ ! -d /usr/share/doc/python3.11/html/_sources ]; then
    echo "== installing python3.11-doc (the documentation corpus)" >&2
    sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3.11-doc
fi
if [ -z "$binary" ]; then
    echo "== building the release binary" >&2
    cargo build --release -q
    binary=target/release/pykb
fi
exec python3 benches/scale.py --corpus docs --articles "$articles" --saves "$saves" \
    --binary "$binary" "${keep[@]}"
