#!/usr/bin/env python3
"""Per-page view of kowatch's extraction on ../shared/extraction-benchmark.

    extract_pages.py KOWATCH_JSONL [--base OTHER_JSONL] [--worst N]
                     [--show ID]

Scores each page of `kowatch extract --json` output (JSON Lines with
"file", as bench_extract.sh writes it) against the benchmark's ground
truth with the benchmark's own metric (../shared/peers/evaluate.py:
4-token shingles of \\w+ tokens, macro precision/recall, F1 of the means),
prints the overall figures, the N worst pages, and with --base the pages
that changed most against another run.  --show ID prints the paragraphs
a page's output has that the truth lacks (+) and the reverse (-).
"""
import argparse
import gzip
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


def load(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            out[os.path.basename(o["file"]).split(".")[0]] = o.get("text") or ""
    return out


def score(truth, got):
    """Per-page (P, R) and evaluate.py's aggregate: precision averaged
    over pages with a non-empty prediction, recall over all pages."""
    rows, ps, rs = {}, [], []
    for pid, t in truth.items():
        p, r = pr(t, got.get(pid, ""))
        rows[pid] = (p, r)
        if shingles(got.get(pid, "")):
            ps.append(p)
        if shingles(t):
            rs.append(r)
    mp = sum(ps) / len(ps)
    mr = sum(rs) / len(rs)
    return rows, mp, mr, 2 * mp * mr / (mp + mr)


def f1(p, r):
    return 2 * p * r / (p + r) if p + r else 0.0


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    bench = os.path.join(here, "..", "..", "shared", "extraction-benchmark")
    ap = argparse.ArgumentParser()
    ap.add_argument("jsonl")
    ap.add_argument("--base")
    ap.add_argument("--worst", type=int, default=25)
    ap.add_argument("--show")
    ap.add_argument("--bench", default=bench)
    a = ap.parse_args()
    gt = json.load(open(os.path.join(a.bench, "ground-truth.json"),
                        encoding="utf-8"))
    truth = {k: v.get("articleBody") or "" for k, v in gt.items()}
    got = load(a.jsonl)
    if a.show:
        tp = [p.strip() for p in truth[a.show].split("\n") if p.strip()]
        gp = [p.strip() for p in got.get(a.show, "").split("\n") if p.strip()]
        tj, gj = " ".join(tp), " ".join(gp)
        for p in gp:
            if p not in tj:
                print("+ " + p[:300])
        for p in tp:
            if p not in gj:
                print("- " + p[:300])
        print("P %.3f R %.3f" % pr(truth[a.show], got.get(a.show, "")))
        return
    rows, mp, mr, f = score(truth, got)
    print(f"{len(rows)} pages: F1 {f:.4f}  precision {mp:.4f}  recall {mr:.4f}")
    worst = sorted(rows.items(), key=lambda kv: f1(*kv[1]))[:a.worst]
    for pid, (p, r) in worst:
        print(f"  {pid[:16]}  P {p:.3f} R {r:.3f} F1 {f1(p, r):.3f}")
    if a.base:
        brows, bp, br, bf = score(truth, load(a.base))
        print(f"base: F1 {bf:.4f}  precision {bp:.4f}  recall {br:.4f}")
        ch = sorted(rows, key=lambda k: f1(*rows[k]) - f1(*brows[k]))
        for pid in ch[:10] + ch[-10:]:
            d = f1(*rows[pid]) - f1(*brows[pid])
            if abs(d) > 0.001:
                print(f"  {pid[:16]}  {f1(*brows[pid]):.3f} -> "
                      f"{f1(*rows[pid]):.3f}  ({d:+.3f})")


if __name__ == "__main__":
    sys.exit(main())
