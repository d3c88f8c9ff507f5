#!/bin/sh
# The command-line contract of DESIGN.md: exit codes (0 ok, 1 runtime
# failure, 2 usage error), one clear line on stderr, databases refused
# with a message naming the file, sources imported all-or-nothing.
# Usage: basics.sh KOWATCH SOURCE_DIR
set -u
KW=$1
SRC=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export KOWATCH_DB="$T/kw.db"
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect CODE PATTERN -- ARGS...: exit code and a stderr+stdout pattern.
expect() {
    code=$1; pat=$2; shift 3
    out=$("$KW" "$@" 2>&1); got=$?
    if [ "$got" -ne "$code" ]; then
        bad "kowatch $*: exit $got, expected $code: $out"
    elif ! printf '%s' "$out" | grep -qE -- "$pat"; then
        bad "kowatch $*: output lacks /$pat/: $out"
    else
        ok
    fi
}

expect 0 '^kowatch [0-9]+\.[0-9]+' -- --version
expect 0 'Commands:' -- --help
expect 0 'Usage: kowatch search' -- search --help
expect 2 "unknown command 'frobnicate'" -- frobnicate
expect 2 "needs a subcommand" -- source
expect 2 "unknown command 'source frob'" -- source frob
expect 2 "did you mean '--limit'" -- search x --lmit 3
expect 2 "takes a whole number" -- search x --limit many
expect 2 "takes a date" -- articles --since yesterday
expect 2 "missing argument" -- search
expect 2 "unbalanced double quote" -- search '"open'
expect 2 "unbalanced parenthesis" -- search '(a OR b'
expect 2 "cannot only exclude" -- search -- '-a'
expect 2 "unknown option '--bogus'" -- --bogus articles
expect 2 "--kind is required" -- source add x https://a.example/
expect 2 "http or https" -- source add x ftp://a.example/ --kind rss
expect 2 "kind" -- source add x https://a.example/ --kind feed
expect 2 "every" -- source add x https://a.example/ --kind rss --every soon

# Sources: add, duplicate, list, remove.
expect 0 "added source 'yna'" -- source add yna https://www.yna.co.kr/rss/news.xml --kind rss --every 10m
expect 1 "exists already" -- source add yna https://www.yna.co.kr/rss/news.xml --kind rss
expect 0 "yna +rss" -- source list
expect 0 '"name": "yna"' -- source list --json
expect 0 "removed source 'yna'" -- source remove yna
expect 1 "no source named 'yna'" -- source remove yna

# Import: a broken file names its line and imports nothing.
cat > "$T/bad.yaml" <<'YAML'
sources:
  - name: good-one
    url: https://example.com/rss.xml
    kind: rss
  - name: bad-one
    url: https://example.com/list
    kind: list
    evry: 10m
YAML
expect 1 "line 8" -- source import "$T/bad.yaml"
out=$("$KW" source list 2>&1)
if printf '%s' "$out" | grep -q good-one; then bad "half-imported: $out"; else ok; fi
expect 0 "imported [0-9]+ sources" -- source import "$SRC/config/sources.yaml"
expect 0 "imported 0 sources \\([0-9]+ already present\\)" -- source import "$SRC/config/sources.yaml"
expect 1 "cannot read" -- source import "$T/missing.yaml"

# A corrupt database is refused with its name, never a crash.
printf 'this is not a database, just bytes\n%.0s' $(seq 1 200) > "$T/corrupt.db"
expect 1 "corrupt.db" -- --db "$T/corrupt.db" articles
expect 1 "corrupt.db" -- --db "$T/corrupt.db" source list

# A database written by a newer kowatch is refused, not migrated.
if command -v python3 >/dev/null 2>&1 &&
    python3 -c 'import sqlite3' 2>/dev/null; then
    "$KW" --db "$T/newer.db" source list >/dev/null 2>&1
    python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("PRAGMA user_version=999"); c.commit()' "$T/newer.db"
    expect 1 "newer.db: written by a newer kowatch" -- --db "$T/newer.db" articles
    python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("CREATE TABLE t(x)"); c.commit()' "$T/other.db"
    expect 1 "other.db: not a kowatch database" -- --db "$T/other.db" articles
fi

# Search and articles on an empty database.
expect 0 "no articles yet" -- articles
expect 0 '"total": 0' -- search '네이버' --json

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
