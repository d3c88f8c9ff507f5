#!/bin/sh
# The offline demo against the findings written by hand in
# config/demo/README.md: the status board now and as of past dates, the
# stance events (none from the rumour article, none for msit/nipa),
# exactly one re-entry alert (nc-ai, 2026-02-10, N4 or H3), no entity in
# the noise article N5, and the syndicated pair N4/H3 sharing a cluster.
# Usage: demo.sh KOWATCH SOURCE_DIR
set -u
KW=$1
SRC=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

if ! command -v python3 >/dev/null 2>&1; then
    echo "python3 is needed to read the JSON; skipped"
    exit 0
fi

if ! "$KW" demo --keep "$T/d" --snapshot "$SRC/config/demo" \
    >"$T/demo.out" 2>&1; then
    cat "$T/demo.out"
    echo "FAIL: kowatch demo"
    exit 1
fi
DB="$T/d/kowatch.db"
for q in "status" "status --as-of 2026-01-31" "status --as-of 2025-12-31" \
    "events" "alerts --all" "articles"; do
    f=$(printf '%s' "$q" | tr ' -' '__')
    # shellcheck disable=SC2086
    if "$KW" --db "$DB" $q --json >"$T/$f.json" 2>"$T/$f.err"; then
        ok
    else
        bad "kowatch $q --json: $(cat "$T/$f.err")"
    fi
done

# check NAME PYTHON: runs PYTHON with the JSON files in $T; it prints
# problems, one a line, and nothing when all is well.
check() {
    name=$1
    out=$(cd "$T" && python3 -c "$2" 2>&1)
    if [ -n "$out" ]; then
        bad "$name: $out"
    else
        ok
    fi
}

board='
import json, sys
def board(f):
    return {e["id"]: (e["stance"], (e["since"] or "")[:10])
            for e in json.load(open(f))["entities"]}
def expect(f, want):
    got = board(f)
    for k, v in want.items():
        g = got.get(k, (None, ""))
        if g[0] != v[0] or (v[1] and g[1] != v[1]):
            print(f, k, "is", g, "expected", v)
'

check "status now" "$board
expect('status.json', {
    'lg-ai-research': ('selected', ''), 'sk-telecom': ('selected', ''),
    'upstage': ('selected', ''),
    'naver-cloud': ('declined', '2026-01-16'),
    'kakao': ('declined', '2026-01-16'),
    'nc-ai': ('entering', '2026-02-10'),
    'kt': ('considering', ''),
    'msit': (None, ''), 'nipa': (None, '')})"

check "status --as-of 2026-01-31" "$board
expect('status___as_of_2026_01_31.json', {
    'lg-ai-research': ('selected', ''), 'sk-telecom': ('selected', ''),
    'upstage': ('selected', ''),
    'naver-cloud': ('declined', '2026-01-16'),
    'kakao': ('declined', '2026-01-16'),
    'nc-ai': ('considering', '2026-01-16'),
    'kt': ('considering', '2026-01-16')})"

check "status --as-of 2025-12-31" "$board
expect('status___as_of_2025_12_31.json', {
    'lg-ai-research': ('selected', '2025-08-04'),
    'sk-telecom': ('selected', '2025-08-04'),
    'upstage': ('selected', '2025-08-04'),
    'naver-cloud': ('selected', '2025-08-04'),
    'kakao': ('eliminated', '2025-08-04'),
    'nc-ai': ('selected', '2025-08-04'),
    'kt': ('eliminated', '2025-08-04')})"

check "events" '
import json
ev = json.load(open("events.json"))["events"]
keys = {"entity", "stance", "date", "published", "url", "sentence"}
for e in ev:
    if not keys <= set(e):
        print("event lacks", keys - set(e))
    if "A2026012007000001" in e["url"]:
        print("rumour article H2 gave an event:", e["entity"], e["stance"])
    if e["entity"] in ("msit", "nipa"):
        print("ministry/agency got a stance:", e["entity"], e["stance"])
    if "idxno=1005" in e["url"] or "nttSeqNo=3186455" in e["url"]:
        print("noise article gave an event:", e["url"])
    if e["stance"] == "entering" and e["entity"] != "nc-ai":
        print("false entering:", e["entity"], e["sentence"])
need = [("nc-ai", "entering", "2026-02-10"),
        ("nc-ai", "eliminated", "2026-01-15"),
        ("naver-cloud", "declined", "2026-01-16"),
        ("kakao", "declined", "2026-01-16"),
        ("kt", "considering", "2026-01-16"),
        ("kakao", "eliminated", "2025-08-04")]
have = {(e["entity"], e["stance"], e["date"][:10]) for e in ev}
for n in need:
    if n not in have:
        print("missing event", n)
'

check "alerts --all" '
import json
al = json.load(open("alerts___all.json"))["alerts"]
if len(al) != 1:
    print(len(al), "alerts:", [(a["kind"], a["entity"], a["date"]) for a in al])
else:
    a = al[0]
    want = {"kind": "reentry", "entity": "nc-ai", "stance": "entering"}
    for k, v in want.items():
        if a.get(k) != v:
            print("alert", k, "is", a.get(k), "expected", v)
    if not (a.get("date") or "").startswith("2026-02-10"):
        print("alert date", a.get("date"))
    if not ("idxno=1004" in a["url"] or "A2026021015200001" in a["url"]):
        print("alert url", a["url"])
    if not a.get("sentence"):
        print("alert without evidence sentence")
    if "deliveries" not in a:
        print("alert without deliveries")
'

check "articles" '
import json
arts = json.load(open("articles.json"))["articles"]
by = {}
for a in arts:
    if "idxno=1005" in a["url"] and a["entities"]:
        print("N5 (noise) has entities", [e["id"] for e in a["entities"]])
    for k in ("1004", "A2026021015200001"):
        if a["url"].endswith(k):
            by[k] = a["cluster"]
    if "A2026012007000001" in a["url"]:
        ids = {e["id"] for e in a["entities"]}
        if not {"kt", "kakao", "nc-ai"} <= ids:
            print("H2 lacks mentions", ids)
    for e in a["entities"]:
        if not {"id", "name", "count"} <= set(e):
            print("entity lacks fields", e)
if len(by) != 2:
    print("N4/H3 not both stored", by)
elif by["1004"] != by["A2026021015200001"]:
    print("N4 and H3 are in different clusters", by)
# M1 links a PDF by href and an HWPX only through fn_download(), which the
# board answers to a form POST: both fetched, both read.
m1 = [a for a in arts if a["url"].endswith("nttSeqNo=3186618")]
if len(m1) != 1:
    print("M1 stored", len(m1), "times")
else:
    got = sorted((x["format"], x["fetched"], x["error"] is None,
                  x["text_bytes"] > 200) for x in m1[0]["attachments"])
    if got != [("hwpx", True, True, True), ("pdf", True, True, True)]:
        print("M1 attachments", m1[0]["attachments"])
'

# Re-running the rules (and a reindex) adds no second alert.
"$KW" --db "$DB" alerts --check --json >/dev/null 2>&1 || bad "alerts --check"
ARCHIVE="$T/d/archive" "$KW" --db "$DB" reindex --archive "$T/d/archive" \
    >/dev/null 2>&1 || bad "reindex"
"$KW" --db "$DB" alerts --all --json >"$T/again.json" 2>&1
check "alerts after reindex" '
import json
al = json.load(open("again.json"))["alerts"]
if len(al) != 1:
    print(len(al), "alerts after re-evaluation and reindex")
'

# Timeline and text output.
if "$KW" --db "$DB" timeline nc-ai | grep -q "considering -> entering"; then
    ok
else
    bad "timeline nc-ai lacks the re-entry"
fi
if "$KW" --db "$DB" timeline nobody >/dev/null 2>&1; then
    bad "timeline of an unknown entity succeeded"
else
    ok
fi

# Channels: usage errors exit 2, runtime errors 1.
code() { "$KW" --db "$DB" "$@" >/dev/null 2>&1; echo $?; }
[ "$(code channel add webhook ftp://x.test/)" = 2 ] && ok ||
    bad "channel add webhook ftp:// not a usage error"
[ "$(code channel add email a@b.test)" = 2 ] && ok ||
    bad "channel add email without --smtp not a usage error"
[ "$(code channel add pigeon x)" = 2 ] && ok || bad "unknown channel kind"
[ "$(code channel add email a@b.test --smtp smtp://127.0.0.1:1)" = 0 ] &&
    ok || bad "channel add email"
[ "$(code channel add exec 'cat >/dev/null')" = 0 ] && ok ||
    bad "channel add exec"
if "$KW" --db "$DB" channel list --json | grep -q '"smtp": "smtp://127.0.0.1:1"'
then ok; else bad "channel list --json lacks the SMTP URL"; fi
[ "$(code channel remove 1)" = 0 ] && ok || bad "channel remove 1"
[ "$(code channel remove 1)" = 1 ] && ok || bad "channel remove 1 twice"
[ "$(code channel remove x)" = 2 ] && ok || bad "channel remove x"
# The backfill alert is not delivered to channels added later.
if "$KW" --db "$DB" alerts --check --all | grep -q '^        ->'; then
    bad "a backfill alert got deliveries"
else
    ok
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
