#!/usr/bin/env bash
# Warm start-up cost of the bootstrap: `./build.sh --target Default --dryrun` (goal: median <= 0.2 s on 2 cores).
# With OLD_COMMIT, that commit is also built, in a git worktree under .build/ (removed at the end unless KEEP_OLD=1),
# and both trees are timed in the same run, alternately (old, current, old, current, ...), so that the load of a shared
# machine falls on both alike. The warm-up run before the timed ones compiles a tree's build program if needed.
# Prints median, min and max wall time of each tree, and the median CPU time (user + system) of its runs.
# Usage: bench/startup.sh [RUNS] [OLD_COMMIT]   (RUNS default 20)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-20}"
old="${2:-}"
cd "$root"

samples="$(mktemp -d)"
worktree=""
cleanup() {
  rm -rf "$samples"
  if [[ -n $worktree && ${KEEP_OLD:-0} != 1 ]]; then
    git -C "$root" worktree remove --force "$worktree" 2>/dev/null || { rm -rf "$worktree"; git -C "$root" worktree prune; }
  fi
}
trap cleanup EXIT

trees=("$root")
names=("current")
if [[ -n $old ]]; then
  commit="$(git rev-parse --verify --quiet "$old^{commit}")" || { echo "startup.sh: no commit '$old'" >&2; exit 2; }
  worktree="$root/.build/startup-old-${commit:0:12}"
  if [[ "$(git -C "$worktree" rev-parse HEAD 2>/dev/null)" != "$commit" ]]; then
    rm -rf "$worktree"
    git worktree prune
    mkdir -p "$root/.build"
    git worktree add --detach "$worktree" "$commit" >/dev/null 2>&1
  fi
  trees=("$worktree" "$root")
  names=("old ${commit:0:7}" "current")
fi

for tree in "${trees[@]}"; do
  (cd "$tree" && ./build.sh --target Default --dryrun >/dev/null)
done

# One timed run of the tree $1: appends "<wall seconds> <CPU seconds>" to $2. The CPU time (user + system) is that of
# the subshell's children (build.sh and everything it starts), from bash's `times`, e.g. "0m0.213s 0m0.065s".
measure() {
  local start end cpu
  start=${EPOCHREALTIME/[.,]/}
  cpu="$(cd "$1" && ./build.sh --target Default --dryrun >/dev/null && times)"
  end=${EPOCHREALTIME/[.,]/}
  echo "$((end - start)) ${cpu#*$'\n'}" | awk '{ split($2, u, /[ms]/); split($3, s, /[ms]/); print $1 / 1e6, u[1] * 60 + u[2] + s[1] * 60 + s[2] }' >> "$2"
}

# "median min max" of the numbers on standard input (the median of an even count is the mean of the middle two).
stats() {
  sort -g | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f %.3f %.3f\n", m, v[1], v[NR] }'
}

read -r load _ < /proc/loadavg
for ((run = 0; run < runs; run++)); do
  for index in "${!trees[@]}"; do measure "${trees[$index]}" "$samples/$index"; done
done

echo "warm start-up of ./build.sh --target Default --dryrun: $runs runs per tree, alternating (load average $load at the start)"
for index in "${!trees[@]}"; do
  read -r median min max < <(cut -d' ' -f1 "$samples/$index" | stats)
  read -r cpu _ < <(cut -d' ' -f2 "$samples/$index" | stats)
  printf '  %-12s median %s s  min %s s  max %s s  (CPU median %s s)\n' "${names[$index]}" "$median" "$min" "$max" "$cpu"
done
echo "goal: median <= 0.200 s"
