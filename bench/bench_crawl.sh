#!/bin/sh
# End-to-end crawl benchmark (issue 3): builds bench_crawl in build-bench
# (Release) and runs it; arguments go to the program, e.g.
#   bench/bench_crawl.sh                      # 200 hosts x 100 pages, 1M frontier
#   bench/bench_crawl.sh --hosts 4 --pages 10 --frontier 20000   # quick check
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${KW_BENCH_BUILD:-"$root/build-bench"}
if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release
fi
cmake --build "$build" --target bench_crawl -j2
exec "$build/bench/bench_crawl" "$@"
