#!/bin/sh
# Quick quality loop on ../shared/extraction-benchmark: runs kowatch over
# the 181 pages and prints bench/extract_pages.py's per-page view.
#
#   sh bench/extract_pages.sh KOWATCH [extract_pages.py options]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${KW_SHARED:-$root/../shared}
kw=$1
shift
out=${KW_BENCH_OUT:-/tmp/kowatch-extract-pages}
mkdir -p "$out"
"$kw" extract --json "$shared"/extraction-benchmark/html/*.html.gz \
    >"$out/kowatch.jsonl"
python3 "$here/extract_pages.py" "$out/kowatch.jsonl" \
    --bench "$shared/extraction-benchmark" "$@"
