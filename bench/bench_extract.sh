#!/bin/sh
# Extraction quality and speed on the public article-extraction benchmark
# (../shared/extraction-benchmark, 181 pages), kowatch vs its peers, in one
# run on one machine.
#
#   sh bench/bench_extract.sh [KOWATCH] [PEERS_PREFIX] [RUNS]
#
# KOWATCH: the kowatch binary (default build/cli/kowatch).
# PEERS_PREFIX: where ../shared/peers/setup.sh put node_modules (default
#   /tmp/kowatch-peers); Readability.js on linkedom runs if it is there.
# RUNS: whole-process timings per extractor (default 3; the median counts).
#
# kowatch runs `kowatch extract --json` over all 181 .html.gz files in ONE
# process (JSON Lines with "file"); the text becomes the {"id":
# {"articleBody": ...}} file that ../shared/peers/evaluate.py scores.
# pages/s = 181 / median whole-process wall time (start-up, reading and
# gunzipping the files and printing JSON included, for every extractor).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${KW_SHARED:-$root/../shared}
kw=${1:-$root/build/cli/kowatch}
prefix=${2:-/tmp/kowatch-peers}
runs=${3:-3}
bench=$shared/extraction-benchmark
peers=$shared/peers
out=${KW_BENCH_OUT:-/tmp/kowatch-bench-extract}
mkdir -p "$out"

[ -x "$kw" ] || { echo "no kowatch binary at $kw" >&2; exit 2; }
npages=$(ls "$bench"/html/*.html.gz | wc -l)

# Runs "$@" RUNS times under /usr/bin/time; prints the median wall seconds
# and keeps the last run's max RSS in $out/$name.rss.
timed() {
    name=$1
    shift
    : >"$out/$name.walls"
    i=0
    while [ "$i" -lt "$runs" ]; do
        /usr/bin/time -f '%e %M' -o "$out/$name.time" "$@"
        read -r wall rss <"$out/$name.time"
        echo "$wall" >>"$out/$name.walls"
        echo "$rss" >"$out/$name.rss"
        i=$((i + 1))
    done
    sort -n "$out/$name.walls" | awk '{ v[NR] = $1 }
        END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ---- kowatch: one process over every page.
kw_wall=$(timed kowatch sh -c '"$1" extract --json "$2"/html/*.html.gz \
    >"$3"' sh "$kw" "$bench" "$out/kowatch.jsonl")
python3 - "$out/kowatch.jsonl" "$out/kowatch.json" <<'PY'
import json, os, sys
src, dst = sys.argv[1], sys.argv[2]
output = {}
with open(src, encoding="utf-8") as f:
    for line in f:
        o = json.loads(line)
        pid = os.path.basename(o["file"]).split(".")[0]
        output[pid] = {"articleBody": o.get("text") or ""}
json.dump({"version": "kowatch", "output": output}, open(dst, "w"))
PY
preds="$out/kowatch.json"
rows="kowatch $kw_wall $(cat "$out/kowatch.rss")"

# ---- Readability.js 0.6 on linkedom (npm, outside the repository)
if [ -d "$prefix/node_modules/@mozilla/readability" ] &&
   [ -d "$prefix/node_modules/linkedom" ]; then
    rl_wall=$(NODE_PATH=$prefix/node_modules timed readability-linkedom \
        node "$peers/run_node_peer.cjs" readability-linkedom "$bench" \
        "$out/readability-linkedom.json" "$out/readability-linkedom.timing.json")
    preds="$preds $out/readability-linkedom.json"
    rows="$rows
readability-linkedom $rl_wall $(cat "$out/readability-linkedom.rss")"
else
    echo "Readability.js: not installed (sh $peers/setup.sh $prefix)" >&2
fi

# ---- readability-lxml needs python3-readability/lxml (PyPI or apt)
if python3 -c 'import readability, html_text' 2>/dev/null; then
    rx_wall=$(timed readability-lxml python3 "$peers/run_readability_lxml.py" \
        "$bench" "$out/readability-lxml.json" "$out/readability-lxml.timing.json")
    preds="$preds $out/readability-lxml.json"
    rows="$rows
readability-lxml $rx_wall $(cat "$out/readability-lxml.rss")"
else
    echo "readability-lxml: unavailable here (needs PyPI/apt python3-readability," \
         "python3-html-text); published: F1 0.922" >&2
fi

echo "== quality (evaluate.py, $npages pages)"
# shellcheck disable=SC2086
python3 "$peers/evaluate.py" "$bench/ground-truth.json" $preds \
    --per-page "$out/per-page.tsv" --json "$out/scores.json"

echo "== speed (whole process, median of $runs runs, $npages pages)"
printf '%s\n' "$rows" | awk -v n="$npages" '
    { wall[NR] = $2; name[NR] = $1; rss[NR] = $3 }
    END {
        printf "%-22s %8s %9s %9s %8s\n", "extractor", "wall s", "pages/s",
               "RSS MB", "vs kw"
        for (i = 1; i <= NR; i++)
            printf "%-22s %8.2f %9.1f %9.0f %7.1fx\n", name[i], wall[i],
                   n / wall[i], rss[i] / 1024, wall[i] / wall[1]
    }'
echo "(vs kw: how many times longer than kowatch; outputs in $out)"
