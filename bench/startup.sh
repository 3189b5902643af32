#!/usr/bin/env bash
# Warm start-up cost of the bootstrap: `./build.sh --target Default --dryrun` (goal: <= 0.5 s on 2 cores).
# The first run compiles the build program if needed; the timed runs then measure the warm path only.
# Usage: bench/startup.sh [RUNS]   (default 20)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-20}"
cd "$root"
./build.sh --target Default --dryrun >/dev/null   # warm-up (and compile, if the sources changed)
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 3 --runs "$runs" --style basic './build.sh --target Default --dryrun'
fi
start=$(date +%s.%N)
for _ in $(seq "$runs"); do ./build.sh --target Default --dryrun >/dev/null; done
end=$(date +%s.%N)
awk -v a="$start" -v b="$end" -v n="$runs" 'BEGIN{printf "warm start-up: %.3f s per run (mean of %d runs; goal <= 0.500 s)\n", (b-a)/n, n}'
