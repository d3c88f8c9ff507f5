#!/bin/sh
# The web UI in a real browser (issue 7): `kowatch demo --keep` fills a
# database, `kowatch serve` serves it on loopback, headless Chromium
# loads the pages and we check what it shows: search results with
# highlighted snippets, the status board, an article, the digest with its
# chart, and an article whose title holds <script> shown as text.  A
# screenshot of the search page is kept as browser-search.png in the
# working directory (the build dir under ctest).  Without chromium
# (scripts/install-deps installs it) the test prints why and passes as
# skipped.
# Usage: browser.sh KOWATCH SOURCE_DIR
set -u
KW=$1
SRC=$2
CHROME=""
for c in chromium chromium-browser google-chrome; do
    if command -v "$c" >/dev/null 2>&1; then CHROME=$c; break; fi
done
if [ -z "$CHROME" ]; then
    echo "skipped: chromium is not installed (scripts/install-deps installs it)"
    exit 0
fi
T=$(mktemp -d)
SRV=""
HTTP=""
cleanup() {
    [ -n "$SRV" ] && kill "$SRV" 2>/dev/null
    [ -n "$HTTP" ] && kill "$HTTP" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

"$KW" demo --keep "$T/demo" >"$T/demo.log" 2>&1 || {
    cat "$T/demo.log"; echo "FAIL: kowatch demo"; exit 1; }
DB="$T/demo/kowatch.db"

# An article whose title holds markup, crawled through kowatch itself
# from a local page (needs python3 for the static file server).
EVIL=""
if command -v python3 >/dev/null 2>&1; then
    mkdir -p "$T/www"
    cat >"$T/www/evil.html" <<'HTML'
<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8">
<title>&lt;script&gt;alert(1)&lt;/script&gt; 카카오 독파모 기사</title>
<meta property="og:title" content="&lt;script&gt;alert(1)&lt;/script&gt; 카카오 독파모 기사">
<meta property="article:published_time" content="2026-02-10T09:00:00+09:00">
</head><body><article><h1>&lt;script&gt;alert(1)&lt;/script&gt; 카카오 독파모 기사</h1>
<p>카카오는 독자 AI 파운데이션 모델 프로젝트 추가 공모를 검토하고 있다고 10일 밝혔다. 업계는 카카오의 결정에 주목하고 있다.</p>
<p>카카오 관계자는 "여러 가능성을 열어 두고 내부 논의를 이어가고 있다"고 말했다. 결정은 이달 말께 나올 것으로 보인다.</p>
</article></body></html>
HTML
    WPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    (cd "$T/www" && exec python3 -m http.server "$WPORT" --bind 127.0.0.1) \
        >"$T/http.log" 2>&1 &
    HTTP=$!
    for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
        python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$WPORT/evil.html', timeout=2)" \
            2>/dev/null && break
        sleep 0.5
    done
    "$KW" --db "$DB" source add evil "http://127.0.0.1:$WPORT/evil.html" \
        --kind page >/dev/null 2>&1
    "$KW" --db "$DB" crawl --once --source evil --host-delay 0 \
        >"$T/crawl.log" 2>&1
    EVIL=$("$KW" --db "$DB" articles --json | awk '
        /"id":/ { gsub(/[^0-9]/, "", $2); id = $2 }
        /"url":.*evil.html/ { print id; exit }')
    [ -n "$EVIL" ] || bad "the page with <script> in its title was not stored: $(cat "$T/crawl.log")"
fi

"$KW" --db "$DB" serve --listen 127.0.0.1:0 >"$T/serve.log" 2>&1 &
SRV=$!
PORT=""
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
    PORT=$(sed -n 's|.*serving http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$T/serve.log")
    [ -n "$PORT" ] && break
    sleep 0.5
done
[ -n "$PORT" ] || { cat "$T/serve.log"; echo "FAIL: serve did not start"; exit 1; }
BASE="http://127.0.0.1:$PORT"

browse() {
    timeout 90 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic \
        --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync --disable-dev-shm-usage \
        --user-data-dir="$(mktemp -d "$T/profile.XXXXXX")" "$@" 2>>"$T/chrome.log"
}

# expect_dom URL PATTERN...: every pattern is in the rendered DOM.
expect_dom() {
    url=$1; shift
    dom=$(browse --dump-dom "$BASE$url")
    [ -n "$dom" ] || { bad "$url: chromium rendered nothing"; return; }
    for pat in "$@"; do
        if printf '%s' "$dom" | grep -qF -- "$pat"; then ok
        else bad "$url: the page lacks '$pat'"; fi
    done
    printf '%s\n' "$dom" >"$T/last.html"
}

# 카카오: the demo's December-January coverage.
Q='%EC%B9%B4%EC%B9%B4%EC%98%A4'
expect_dom "/search?q=$Q" 'id="results"' ' result' \
    '<mark>카카오' '추가 공모 불참' 'href="/article/'
expect_dom "/search?q=$Q&entity=kakao&since=2026-01-16&until=2026-01-16" \
    '1 result' '추가 공모 불참'
expect_dom "/status" 'Participation status' 'entering' 'declined' \
    'href="/entity/nc-ai"'
expect_dom "/entity/nc-ai" 'entering' 'eliminated' '패자부활전'
expect_dom "/digest/2026-02-10" 'Status changes' 'considering' '<svg' \
    '2 copies'
ART=$("$KW" --db "$DB" search "$(printf '\354\271\264\354\271\264\354\230\244')" --json |
    sed -n 's/^ *"id": \([0-9]*\),*$/\1/p' | head -1)
[ -n "$ART" ] && expect_dom "/article/$ART" 'Entities:' 'original' \
    'archived copy'
if [ -n "$ART" ]; then
    code=$(curl -s -o "$T/arch.txt" -w '%{http_code}' "$BASE/article/$ART/archive" 2>/dev/null || echo none)
    if [ "$code" = 200 ] || [ "$code" = none ]; then ok; else bad "archive: $code"; fi
fi

if [ -n "$EVIL" ]; then
    # The title is text: escaped in the DOM, no script element, no alert.
    expect_dom "/article/$EVIL" \
        '<h1 id="title">&lt;script&gt;alert(1)&lt;/script&gt; 카카오'
    if grep -qi '<script' "$T/last.html"; then
        bad "/article/$EVIL: a <script> element reached the DOM"
    else ok; fi
    expect_dom "/search?q=%EB%8F%85%ED%8C%8C%EB%AA%A8" '&lt;script&gt;alert(1)'
    if grep -qi '<script' "$T/last.html"; then
        bad "search: a <script> element reached the DOM"
    else ok; fi
fi

# The screenshot, kept as an artifact next to the test's working dir.
browse --window-size=1200,900 --screenshot="$PWD/browser-search.png" \
    "$BASE/search?q=$Q" >/dev/null
if [ -s "$PWD/browser-search.png" ]; then ok
else bad "no screenshot"; fi

echo "browser: $pass passed, $fail failed (screenshot: $PWD/browser-search.png)"
[ "$fail" -eq 0 ]
