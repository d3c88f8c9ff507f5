#!/bin/sh
# bench/serve: requests per second and p95 latency of /api/search under 16
# concurrent connections (wrk, 30 s) over 100,000 generated articles,
# while a crawl-like writer inserts articles from another process.
# Usage: bench/bench_serve.sh BUILD_DIR [N_ARTICLES] [SECONDS]
set -eu
B=${1:?usage: bench_serve.sh BUILD_DIR [N] [SECONDS]}
N=${2:-100000}
SECS=${3:-30}
KW="$B/cli/kowatch"
GEN="$B/bench/bench_gen_articles"
command -v wrk >/dev/null 2>&1 || {
    echo "bench_serve: wrk is missing (apt-get install wrk)" >&2; exit 1; }
T=$(mktemp -d)
SRV=""
trap '[ -n "$SRV" ] && kill $SRV 2>/dev/null; rm -rf "$T"' EXIT
"$GEN" "$T/kw.db" "$N"
"$KW" --db "$T/kw.db" serve --listen 127.0.0.1:0 >"$T/serve.log" 2>&1 &
SRV=$!
PORT=""
while [ -z "$PORT" ]; do
    sleep 0.2
    PORT=$(sed -n 's|.*127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$T/serve.log")
done
# 카카오 모델: matches about one article in seven, ranked, limit 20.
URL="http://127.0.0.1:$PORT/api/search?q=%EC%B9%B4%EC%B9%B4%EC%98%A4%20%EB%AA%A8%EB%8D%B8&limit=20"
curl -sf "$URL" >/dev/null
# wrk prints the 50/75/90/99th percentiles; p95 comes from a Lua summary.
cat >"$T/p95.lua" <<'LUA'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("p95_ms %.2f\n", latency:percentile(95) / 1000))
  io.write(string.format("p50_ms %.2f\n", latency:percentile(50) / 1000))
  io.write(string.format("p99_ms %.2f\n", latency:percentile(99) / 1000))
  io.write(string.format("errors %d\n", e.status + e.connect + e.read +
                         e.write + e.timeout))
end
LUA
"$GEN" "$T/kw.db" --write "$SECS" >"$T/writer.log" &
W=$!
wrk -t4 -c16 -d"${SECS}s" -s "$T/p95.lua" "$URL" >"$T/wrk.log"
wait $W
v() { awk -v k="$1" '$1 == k {print $2}' "$T/wrk.log"; }
echo "bench/serve: $N articles, 16 connections, ${SECS} s of GET /api/search"
echo "  (q=카카오 모델, limit 20) while a writer inserts articles"
echo "  requests/s: $(awk '/^Requests\/sec/ {print $2}' "$T/wrk.log")"
echo "  latency ms: p50 $(v p50_ms)  p95 $(v p95_ms)  p99 $(v p99_ms)"
echo "  errors (non-2xx or socket): $(v errors)"
echo "  $(cat "$T/writer.log")"
