#!/usr/bin/env bash
# Search benchmark: pykb's tantivy index vs SQLite FTS5 on the seed corpus and on the Python
# 3.11 documentation (Debian's python3.11-doc, installed here if missing).
# Usage: benches/search.sh [--rounds N]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d /usr/share/doc/python3.11/html/_sources ]; then
    echo "installing python3.11-doc (the documentation corpus)…" >&2
    sudo_if_needed=""
    [ "$(id -u)" -ne 0 ] && sudo_if_needed="sudo"
    $sudo_if_needed apt-get update -qq
    $sudo_if_needed apt-get install -y -qq python3.11-doc
fi
exec cargo bench --bench search -- "$@"
