#!/bin/sh
# Korean news and ministry pages (../shared/korean-pages): kowatch's
# extraction against the hand-written expectations in
# tests/fixtures/extract/*.json -- body F1 (the benchmark's shingle
# metric), title/date/byline/kind/department exactness.
#
#   sh bench/bench_extract_ko.sh [KOWATCH]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${KW_SHARED:-$root/../shared}
kw=$(cd "$(dirname "${1:-$root/build/cli/kowatch}")" && pwd)/$(basename "${1:-kowatch}")
pages=$shared/korean-pages
out=${KW_BENCH_OUT:-/tmp/kowatch-bench-extract-ko}
mkdir -p "$out"
cd "$pages"
# shellcheck disable=SC2046
"$kw" extract --json $(for f in "$root"/tests/fixtures/extract/*.json; do
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["file"])' "$f"
done) >"$out/kowatch.jsonl"
python3 "$here/extract_ko_eval.py" "$root/tests/fixtures/extract" "$pages" \
    "$out/kowatch.jsonl"
