#!/bin/sh
# Attachment text extraction speed on large documents built from the
# fixtures: a 200-section HWPX (sections probed without content.hpf), a
# 400-page PDF (qpdf concatenation), a 500-section HWP 5 (gen_hwp --big),
# then the fixtures themselves.
#   bench/bench_attachment.sh [BUILD_DIR]      (default: build)
# Needs zip, qpdf, cc and libgsf-1-dev (for the generator).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
fix=$root/tests/fixtures/attachments
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cp -R "$fix/src/press.hwpx" "$tmp/hwpx"
rm "$tmp/hwpx/Contents/content.hpf"
i=1
while [ $i -lt 200 ]; do
    cp "$tmp/hwpx/Contents/section0.xml" "$tmp/hwpx/Contents/section$i.xml"
    i=$((i + 1))
done
(cd "$tmp/hwpx" && zip -q -X -0 "$tmp/big.hwpx" mimetype &&
    zip -q -X -r -9 "$tmp/big.hwpx" . -x mimetype)

pages=""
i=0
while [ $i -lt 200 ]; do pages="$pages $fix/press.pdf"; i=$((i + 1)); done
# shellcheck disable=SC2086
qpdf --empty --pages $pages -- "$tmp/big.pdf"

cc -O2 -o "$tmp/gen_hwp" "$fix/gen_hwp.c" \
    $(pkg-config --cflags --libs libgsf-1 zlib)
"$tmp/gen_hwp" --big 500 "$tmp/big.hwp"

"$build/bench/bench_attachment" -r 5 "$tmp/big.hwpx" "$tmp/big.pdf" \
    "$tmp/big.hwp"
"$build/bench/bench_attachment" -r 50
