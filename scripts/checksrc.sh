#!/bin/sh
# Enforces the rules of STYLE.md that a compiler does not (curl checksrc):
# banned string functions everywhere, and bare allocation outside common/.
set -eu
cd "$(dirname "$0")/.."
status=0
files=$(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './build*')
banned='\b(strcpy|strcat|sprintf|vsprintf|strncpy|strtok|gets|atoi)[[:space:]]*\('
if grep -nE "$banned" $files; then
    echo "checksrc: banned function (use kw_buf, snprintf or kw_parse_u64)" >&2
    status=1
fi
alloc='(^|[^_[:alnum:]])(malloc|calloc|realloc|free|strdup|strndup)[[:space:]]*\('
for f in $files; do
    case "$f" in
    # common/ implements the allocator.  Test code allocates its own
    # scaffolding with libc on purpose: kw_alloc_fail_at() must hit only
    # the code under test, never the harness or an independent checker.
    common/* | tests/*) continue ;;
    esac
    if grep -nE "$alloc" "$f" | grep -v 'checksrc: allow'; then
        echo "checksrc: $f: use kw_malloc/kw_calloc/kw_realloc/kw_free/kw_strdup" >&2
        status=1
    fi
done
[ $status -eq 0 ] && echo "checksrc: ok ($(echo $files | wc -w) files)"
exit $status
