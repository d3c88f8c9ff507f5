#!/bin/sh
# kowatch digest on the demo database (issue 7): the day of NC AI's
# re-entry shows the change first and its two copies as one story, in
# Markdown, HTML (--out) and JSON; bad options are usage errors (exit 2);
# --send without an e-mail channel is a runtime failure (exit 1).
# Usage: digest.sh KOWATCH SOURCE_DIR
set -u
KW=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
has() { if grep -qF -- "$2" "$1"; then ok; else bad "$1 lacks '$2'"; fi; }

"$KW" demo --keep "$T/d" >"$T/demo.log" 2>&1 || {
    cat "$T/demo.log"; echo "FAIL: kowatch demo"; exit 1; }
K="$KW --db $T/d/kowatch.db"

$K digest --date 2026-02-10 >"$T/d.md" || bad "digest md: exit $?"
has "$T/d.md" "## Status changes"
has "$T/d.md" "considering → entering"
has "$T/d.md" "(2 copies)"
has "$T/d.md" "| entity | daily articles | total | max |"
first=$(grep -n 'Status changes' "$T/d.md" | cut -d: -f1)
stories=$(grep -n '^## Stories' "$T/d.md" | cut -d: -f1)
[ "${first:-99}" -lt "${stories:-0}" ] && ok || bad "changes not first"
n=$(grep -c '^- \[' "$T/d.md")
[ "$n" -eq 1 ] && ok || bad "expected 1 story line, got $n"

$K digest --date 2026-02-10 --format html --out "$T/d.html" ||
    bad "digest html: exit $?"
has "$T/d.html" "<svg"
has "$T/d.html" "entering"
if grep -qi '<script\|<link\|src="http' "$T/d.html"; then
    bad "the HTML digest loads or runs something"
else ok; fi

$K digest --date 2026-02-10 --format json >"$T/d.json" ||
    bad "digest json: exit $?"
has "$T/d.json" '"status_changes"'
has "$T/d.json" '"by_source"'

for args in "--date yesterday" "--date 2026-02-30" "--format pdf"; do
    # shellcheck disable=SC2086
    $K digest $args >/dev/null 2>"$T/err"
    code=$?
    [ "$code" -eq 2 ] && ok || bad "digest $args: exit $code, expected 2"
done
$K digest --date 2026-02-10 --send >/dev/null 2>"$T/err"
code=$?
[ "$code" -eq 1 ] && ok || bad "digest --send: exit $code, expected 1"
has "$T/err" "no e-mail channel"

echo "digest: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
