#!/usr/bin/env python3
"""Score kowatch extraction on Korean pages against hand-written expectations.

    extract_ko_eval.py FIXTURE_DIR PAGES_DIR KOWATCH_JSONL

FIXTURE_DIR holds tests/fixtures/extract/<name>.json: file (relative to
PAGES_DIR), kind, title, published (ISO 8601 with offset, or null),
byline, optional department, body (full expected text, paragraphs
separated by blank lines) or only body_first / body_last.
List pages' fixtures instead give kind, rows_count and first_row /
last_row ({title, url, script, date}); they score rows found / expected
(capped at expected) and the first and last rows exactly, apart from
the article figures.
KOWATCH_JSONL is `kowatch extract --json` output with
"file".  Body F1 uses the public benchmark's metric (evaluate.py: 4-token
shingles of \\w+ tokens; F1 = harmonic mean of macro P and macro R) on
the pages with a full body; first/last paragraphs are checked as
contained (whitespace-normalised) on every page that gives them.
"""
import json
import os
import re
import sys
from collections import Counter

WORD = re.compile(r"\w+")


def shingles(text, n=4):
    t = WORD.findall(text or "")
    if not t:
        return Counter()
    if len(t) < n:
        return Counter([tuple(t)])
    return Counter(tuple(t[i:i + n]) for i in range(len(t) - n + 1))


def pr(truth, pred):
    t, p = shingles(truth), shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    prec = tp / (tp + fp) if tp + fp else (1.0 if not t else 0.0)
    rec = tp / (tp + fn) if tp + fn else 1.0
    return prec, rec


def norm(s):
    return re.sub(r"\s+", " ", s or "").strip()


def main():
    fixdir, pages, jsonl = sys.argv[1:4]
    got = {}
    with open(jsonl, encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            got[os.path.relpath(os.path.abspath(o["file"]),
                                os.path.abspath(pages))] = o
    ps, rs, rows, lists = [], [], [], []
    n = ok_title = ok_date = ok_byline = ok_kind = ok_dept = n_dept = 0
    ok_first = n_first = ok_last = n_last = 0
    for name in sorted(os.listdir(fixdir)):
        if not name.endswith(".json"):
            continue
        exp = json.load(open(os.path.join(fixdir, name), encoding="utf-8"))
        o = got.get(exp["file"])
        if o is None:
            print(f"{name}: no output for {exp['file']}")
            continue
        if "rows_count" in exp:
            lists.append((name[:-5], exp, o))
            continue
        n += 1
        text = o.get("text") or ""
        flags = []
        t_ok = norm(o.get("title")) == norm(exp["title"])
        d_ok = o.get("published") == exp["published"]
        b_ok = (o.get("byline") or None) == exp["byline"]
        k_ok = o.get("kind") == exp["kind"]
        ok_title += t_ok
        ok_date += d_ok
        ok_byline += b_ok
        ok_kind += k_ok
        for key, good in (("title", t_ok), ("date", d_ok), ("byline", b_ok),
                          ("kind", k_ok)):
            if not good:
                flags.append(f"{key}: got {o.get(key if key != 'date' else 'published')!r}")
        if "department" in exp:
            n_dept += 1
            if o.get("department") == exp["department"]:
                ok_dept += 1
            else:
                flags.append(f"department: got {o.get('department')!r}")
        if exp.get("body_first"):
            n_first += 1
            if norm(exp["body_first"]) in norm(text):
                ok_first += 1
            else:
                flags.append("first paragraph missing")
        if exp.get("body_last"):
            n_last += 1
            if norm(exp["body_last"]) in norm(text):
                ok_last += 1
            else:
                flags.append("last paragraph missing")
        f1 = ""
        if exp.get("body"):
            p, r = pr(exp["body"], text)
            ps.append(p)
            rs.append(r)
            f1 = f"P {p:.3f} R {r:.3f} F1 {2*p*r/(p+r) if p+r else 0:.3f}"
        rows.append((name[:-5], f1, flags))
    for name, f1, flags in rows:
        print(f"{name:50s} {f1:28s} {'; '.join(flags) if flags else 'ok'}")
    mp = sum(ps) / len(ps) if ps else 0
    mr = sum(rs) / len(rs) if rs else 0
    f1 = 2 * mp * mr / (mp + mr) if mp + mr else 0
    print()
    print(f"body (full expectations, {len(ps)} pages): F1 {f1:.3f}  "
          f"precision {mp:.3f}  recall {mr:.3f}   (target F1 >= 0.95)")
    print(f"title exact {ok_title}/{n}   date exact {ok_date}/{n}   "
          f"byline exact {ok_byline}/{n}   kind {ok_kind}/{n}   "
          f"department {ok_dept}/{n_dept}")
    print(f"first paragraph found {ok_first}/{n_first}   "
          f"last paragraph found {ok_last}/{n_last}")
    if not lists:
        return
    print()
    found = expected = ok_kind = ok_first = ok_last = 0
    keys = ("title", "url", "script", "date")
    for name, exp, o in lists:
        got_rows = o.get("rows") or []
        flags = []
        expected += exp["rows_count"]
        found += min(len(got_rows), exp["rows_count"])
        if len(got_rows) != exp["rows_count"]:
            flags.append(f"rows {len(got_rows)}/{exp['rows_count']}")
        if o.get("kind") == exp["kind"]:
            ok_kind += 1
        else:
            flags.append(f"kind: got {o.get('kind')!r}")
        for which, idx in (("first_row", 0), ("last_row", -1)):
            want = exp[which]
            have = got_rows[idx] if got_rows else {}
            bad = [k for k in keys if (have.get(k) or None) != want.get(k)]
            if bad:
                flags.append(which + ": " + ", ".join(
                    f"{k} got {have.get(k)!r}" for k in bad))
            elif which == "first_row":
                ok_first += 1
            else:
                ok_last += 1
        print(f"{name:50s} rows {len(got_rows):3d}/{exp['rows_count']:<3d} "
              f"{'; '.join(flags) if flags else 'ok'}")
    print()
    print(f"list pages {len(lists)}: rows found {found}/{expected}   "
          f"kind {ok_kind}/{len(lists)}   first row exact {ok_first}/"
          f"{len(lists)}   last row exact {ok_last}/{len(lists)}")


if __name__ == "__main__":
    main()
