#!/usr/bin/env bash
# Promotion at scale, side by side in one run: N generated images (a shared 2 MiB base layer, a small layer of their own,
# every 20th a manifest list, TAGS tags each) in a local source Distribution, promoted into DESTS empty destination
# Distributions by the project (`./build.sh --target Promote`: dry run of the cold plan, cold --confirm, no-op --confirm)
# and by `skopeo sync --all` (one per destination, all destinations at once). Each figure is the median of RUNS runs
# (SKOPEO_RUNS for skopeo, 1 by default: at N=200 x 3 destinations one cold sync alone takes minutes here);
# every run starts from empty destinations (restarted on fresh storage). Prints one table: wall time, requests per image
# (all registries' access logs), peak RSS (/usr/bin/time -v, the largest process of the command), and the ratio
# skopeo sync / project.
# The images are pushed by bench/ScaleGen (the project's own registry client, built with `dotnet build`).
# Needs docker-registry (apt-get install docker-registry), skopeo, /usr/bin/time (apt-get install time).
# `skopeo copy` in parallel is not measured yet. KEEP=1 keeps the work folder (registries' logs) for a look afterwards.
# Usage: bench/scale.sh [N] [DESTS]   (default 100 3, about 4 minutes here; RUNS=3, SKOPEO_RUNS=1, TAGS=3, THREADS=8)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-100}"; dests="${2:-3}"; runs="${RUNS:-3}"; skopeo_runs="${SKOPEO_RUNS:-1}"; tags="${TAGS:-3}"; threads="${THREADS:-8}"
cd "$root"
registry_binary="$(command -v docker-registry || command -v registry)"
command -v /usr/bin/time >/dev/null || { echo "/usr/bin/time is missing: apt-get install time" >&2; exit 1; }
command -v skopeo >/dev/null || { echo "skopeo is missing: apt-get install skopeo" >&2; exit 1; }
./build.sh --target Default --dryrun >/dev/null   # compile the build program first if needed
dotnet build bench/ScaleGen -c Release -v quiet -nologo >/dev/null

work="$(mktemp -d -p /dev/shm scale.XXXXXX 2>/dev/null || mktemp -d)"
cleanup() {
  for file in "$work"/*/pid; do [[ -f "$file" ]] && kill "$(cat "$file")" 2>/dev/null || true; done
  sleep 0.2
  if [[ -n "${KEEP:-}" ]]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# start_registry NAME PORT: serves $work/NAME/storage on 127.0.0.1:PORT (0: any free port), access log on; prints the port.
start_registry() {
  local name="$1" port="$2" folder="$work/$1"
  mkdir -p "$folder/storage"
  {
    echo "version: 0.1"
    echo "log: {level: info, accesslog: {disabled: false}}"
    echo "storage: {filesystem: {rootdirectory: '$folder/storage'}, delete: {enabled: true}, maintenance: {uploadpurging: {enabled: false}}}"
    echo "http: {addr: '127.0.0.1:$port', secret: bench}"
  } > "$folder/config.yml"
  touch "$folder/log"   # before the registry opens it: the wait below reads it at once
  "$registry_binary" serve "$folder/config.yml" >>"$folder/log" 2>&1 &
  echo "$!" > "$folder/pid"
  for _ in $(seq 300); do
    if grep -q 'listening on' "$folder/log"; then
      grep -o 'listening on [0-9.:]*' "$folder/log" | tail -1 | sed 's/.*://'
      return
    fi
    sleep 0.05
  done
  echo "registry $name did not start:" >&2; cat "$folder/log" >&2; exit 1
}
# reset_destinations: every destination restarted on its port with empty storage.
reset_destinations() {
  for d in $(seq "$dests"); do kill "$(cat "$work/dst$d/pid")" 2>/dev/null || true; done
  sleep 0.3
  for d in $(seq "$dests"); do
    rm -rf "$work/dst$d/storage"; mv "$work/dst$d/log" "$work/dst$d/log.$(date +%s%N)"
    start_registry "dst$d" "${ports[$d]}" >/dev/null
  done
}
requests() { cat "$work"/*/log | grep -c '" [0-9][0-9][0-9] [0-9-]* "' || true; }
# Blob uploads committed (PUT ...?digest=) and cross-repository mounts (POST ...?mount=) served by the destinations.
uploads() { cat "$work"/dst*/log | grep -c '"PUT /v2/[^ ]*/blobs/uploads/[^ ]*digest=' || true; }
mounts() { cat "$work"/dst*/log | grep -c '"POST /v2/[^ ]*/blobs/uploads/?[^ ]*mount=' || true; }

src=$(start_registry src 0)
dotnet bench/ScaleGen/bin/Release/net10.0/ScaleGen.dll "127.0.0.1:$src" stg "$n" "$tags" "$work/images.yaml"
declare -A ports
{
  echo "registries:"
  echo "- name: 127.0.0.1:$src/stg"
  echo "  src: true"
  for d in $(seq "$dests"); do
    ports[$d]=$(start_registry "dst$d" 0)
    echo "- name: 127.0.0.1:${ports[$d]}/prod"
  done
  cat "$work/images.yaml"
} > "$work/manifest.yaml"
{ echo "127.0.0.1:$src:"; echo "  tls-verify: false"; echo "  images:"; cat "$work/images.yaml.skopeo"; } > "$work/sync.yaml"
echo '{"default":[{"type":"insecureAcceptAnything"}]}' > "$work/policy.json"

# measure LABEL COMMAND...: runs the command under /usr/bin/time -v; appends "seconds requests rss-kib uploads mounts"
# to $work/LABEL.
measure() {
  local label="$1" before start end up mo code=0; shift
  sleep 0.2; before=$(requests); up=$(uploads); mo=$(mounts)
  start=$(date +%s.%N)
  /usr/bin/time -v -o "$work/time.out" "$@" > "$work/$label.out" 2>&1 || code=$?
  end=$(date +%s.%N)
  sleep 0.3   # let the access logs flush
  if ((code != 0)); then echo "$label failed ($code):" >&2; tail -5 "$work/$label.out" >&2; exit 1; fi
  echo "$(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.2f", b-a}') $(( $(requests) - before )) $(awk '/Maximum resident/{print $NF}' "$work/time.out")" \
    "$(( $(uploads) - up )) $(( $(mounts) - mo ))" >> "$work/$label"
}
promote=(./build.sh --target Promote --manifest="$work/manifest.yaml" --threads="$threads" --verbosity=quiet)
sync_all() {
  local pids=() code=0
  for d in $(seq "$dests"); do
    skopeo --policy "$work/policy.json" sync --all --src yaml --dest docker --dest-tls-verify=false \
      "$work/sync.yaml" "127.0.0.1:${ports[$d]}/prod" > "$work/sync$d.out" 2>&1 & pids+=("$!")
  done
  for pid in "${pids[@]}"; do wait "$pid" || code=$?; done
  return "$code"
}
export -f sync_all
export work dests

for run in $(seq "$runs"); do
  reset_destinations
  measure dry "${promote[@]}"
  measure cold "${promote[@]}" --confirm
  measure noop "${promote[@]}" --confirm
  ((run > skopeo_runs)) && { echo "run $run/$runs done" >&2; continue; }
  reset_destinations
  measure sync-cold bash -c "$(declare -p ports); sync_all"
  measure sync-noop bash -c "$(declare -p ports); sync_all"
  echo "run $run/$runs done" >&2
done

# median LABEL FIELD: the median of a column over the runs.
median() { awk -v f="$2" '{print $f}' "$work/$1" | sort -g | awk '{v[NR]=$1} END{print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
row() {
  local label="$1" name="$2" seconds requests rss
  seconds=$(median "$label" 1); requests=$(median "$label" 2); rss=$(median "$label" 3)
  printf '| %-28s | %8.2f | %8.1f | %7.0f | %7s | %6s' "$name" "$seconds" "$(awk -v r="$requests" -v n="$n" 'BEGIN{print r/n}')" \
    "$((rss / 1024))" "$(median "$label" 4)" "$(median "$label" 5)"
}
echo
echo "N=$n images ($tags tags each, every 20th a manifest list), $dests destinations, threads $threads, median of $runs runs ($skopeo_runs for skopeo)"
echo "| Command                      | Time (s) | Req/img  | RSS MiB | Uploads | Mounts | skopeo sync / project |"
echo "|---|---|---|---|---|---|---|"
echo "$(row dry 'Promote dry run (cold plan)') |  |"
echo "$(row cold 'Promote cold') | $(awk -v a="$(median sync-cold 1)" -v b="$(median cold 1)" 'BEGIN{printf "%.1fx", a/b}') |"
echo "$(row noop 'Promote no-op') | $(awk -v a="$(median sync-noop 1)" -v b="$(median noop 1)" 'BEGIN{printf "%.1fx", a/b}') |"
echo "$(row sync-cold 'skopeo sync --all cold') |  |"
echo "$(row sync-noop 'skopeo sync --all no-op') |  |"
