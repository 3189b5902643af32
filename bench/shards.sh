#!/usr/bin/env bash
# Sharded promotion throughput: N generated images (bench/ScaleGen, as bench/scale.sh makes them) in a local source
# Distribution, promoted cold into DESTS empty destination Distributions by SHARDS concurrent processes
# (`./build.sh --target Promote --confirm --shard=I/SHARDS`, I = 0..SHARDS-1, all started at once, as the pods of the
# Indexed Job run), for each SHARDS in SHARD_COUNTS (default "1 2 4"). Each figure is the median of RUNS runs, every run
# from empty destinations (restarted on fresh storage). Prints wall time (first start to last exit), images per second,
# manifest PUTs and blob uploads/mounts from the destinations' access logs (the same PUT count for every SHARDS: no write
# twice), and the slowest shard's share. After the last run a plain (unsharded) no-op run must plan nothing.
# Needs docker-registry (apt-get install docker-registry). KEEP=1 keeps the work folder.
# Usage: bench/shards.sh [N] [DESTS]   (default 300 2; RUNS=3, TAGS=3, THREADS=8 per process, SHARD_COUNTS="1 2 4")
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-300}"; dests="${2:-2}"; runs="${RUNS:-3}"; tags="${TAGS:-3}"; threads="${THREADS:-8}"; counts="${SHARD_COUNTS:-1 2 4}"
cd "$root"
./build.sh --target Default --dryrun >/dev/null   # compile the build program first if needed
dotnet build bench/ScaleGen -c Release -v quiet -nologo >/dev/null

work="$(mktemp -d -p /dev/shm shards.XXXXXX 2>/dev/null || mktemp -d)"
trap stop_and_remove_work EXIT

source "$root/bench/registry.sh"   # start_registry NAME PORT [CONFIG_LINE]
declare -A ports
# Manifest PUTs (by digest and by tag), blob uploads committed and cross-repository mounts the destinations served.
manifest_puts() { cat "$work"/dst*/log | grep -c '"PUT /v2/[^ ]*/manifests/' || true; }
uploads() { cat "$work"/dst*/log | grep -c '"PUT /v2/[^ ]*/blobs/uploads/[^ ]*digest=' || true; }
mounts() { cat "$work"/dst*/log | grep -c '"POST /v2/[^ ]*/blobs/uploads/?[^ ]*mount=' || true; }

src=$(start_registry src 0)
dotnet bench/ScaleGen/bin/Release/net10.0/ScaleGen.dll "127.0.0.1:$src" stg "$n" "$tags" "$work/images.yaml"
write_manifest "$src"
promote=(./build.sh --target Promote --manifest="$work/manifest.yaml" --threads="$threads" --verbosity=normal)

# sharded COUNT: COUNT promotions at once, shard I of COUNT each; appends "seconds puts uploads mounts slowest-share" to $work/COUNT.
sharded() {
  local count="$1" pids=() code=0 start end puts up mo
  sleep 0.2; puts=$(manifest_puts); up=$(uploads); mo=$(mounts)
  start=$(date +%s.%N)
  for i in $(seq 0 $((count - 1))); do
    ( s=$(date +%s.%N); "${promote[@]}" --confirm --shard="$i/$count" > "$work/shard-$i-of-$count.out" 2>&1; c=$?
      echo "$(awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}')" > "$work/shard-$i-of-$count.time"; exit $c ) &
    pids+=("$!")
  done
  for pid in "${pids[@]}"; do wait "$pid" || code=$?; done
  end=$(date +%s.%N)
  if ((code != 0)); then echo "a shard of $count failed:" >&2; tail -5 "$work"/shard-*-of-"$count".out >&2; exit 1; fi
  sleep 0.3   # let the access logs flush
  local wall slowest
  wall=$(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.2f", b-a}')
  slowest=$(cat "$work"/shard-*-of-"$count".time | sort -g | tail -1)
  echo "$wall $(( $(manifest_puts) - puts )) $(( $(uploads) - up )) $(( $(mounts) - mo )) $(awk -v s="$slowest" -v w="$wall" 'BEGIN{printf "%.2f", s/w}')" >> "$work/$count"
  grep -ho "shard [0-9]* of $count: [0-9a-z ,()]*repositories" "$work"/shard-*-of-"$count".out | sed 's/^/  /' >&2 || true
}

for run in $(seq "$runs"); do
  for count in $counts; do
    reset_destinations
    sharded "$count"
    echo "run $run/$runs: $count shard(s) $(tail -1 "$work/$count" | awk '{print $1}') s" >&2
  done
done
noop=$("${promote[@]}" --confirm 2>&1 | grep -o 'plan: 0 copies, 0 tag(s), [0-9a-z ,]*' | head -1 || true)
[[ -n "$noop" ]] || { echo "the unsharded no-op run after the last sharded run planned writes: the shards missed something" >&2; exit 1; }

median() { awk -v f="$2" '{print $f}' "$work/$1" | sort -g | awk '{v[NR]=$1} END{print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
first=$(echo "$counts" | awk '{print $1}')
echo
echo "N=$n images ($tags tags each, every 20th a manifest list) into $dests destinations, cold; threads $threads per process;"
echo "median of $runs runs; $(nproc) cores (shared with whatever else runs); after the last run an unsharded no-op run: $noop"
echo "| Shards | Time (s) | Images/s | Speed-up | Manifest PUTs | Uploads | Mounts | Slowest shard / wall |"
echo "|---|---|---|---|---|---|---|---|"
for count in $counts; do
  t=$(median "$count" 1)
  printf '| %6s | %8.2f | %8.1f | %7.2fx | %13s | %7s | %6s | %20s |\n' "$count" "$t" "$(awk -v n="$n" -v t="$t" 'BEGIN{print n/t}')" \
    "$(awk -v a="$(median "$first" 1)" -v b="$t" 'BEGIN{print a/b}')" "$(median "$count" 2)" "$(median "$count" 3)" "$(median "$count" 4)" "$(median "$count" 5)"
done
