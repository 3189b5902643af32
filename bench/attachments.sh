#!/usr/bin/env bash
# The cost of carrying attachments: N generated images (bench/ScaleGen with `attachments`: each image or index has a
# cosign signature `sha256-<hex>.sig` and an attestation `sha256-<hex>.att`; shared 2 MiB base layer, every 20th image a
# manifest list, TAGS tags each) in a local source Distribution, promoted into DESTS empty destination Distributions by
# `./build.sh --target Promote` with --copy-attachments (the default) and with --copy-attachments=false: dry run (cold
# plan), cold --confirm, no-op --confirm. Each figure is the median of RUNS runs, each from empty destinations. Prints
# wall time, requests per image (all registries' access logs), blob uploads and mounts in the destinations, and the
# ratio with/without. Needs docker-registry and /usr/bin/time (apt-get install time).
# Usage: bench/attachments.sh [N] [DESTS]   (default 200 3; RUNS=1, TAGS=3, THREADS=8; KEEP=1 keeps the work folder)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-200}"; dests="${2:-3}"; runs="${RUNS:-1}"; tags="${TAGS:-3}"; threads="${THREADS:-8}"
cd "$root"
command -v /usr/bin/time >/dev/null || { echo "/usr/bin/time is missing: apt-get install time" >&2; exit 1; }
./build.sh --target Default --dryrun >/dev/null
dotnet build bench/ScaleGen -c Release -v quiet -nologo >/dev/null

work="$(mktemp -d -p /dev/shm attach.XXXXXX 2>/dev/null || mktemp -d)"
trap stop_and_remove_work EXIT

source "$root/bench/registry.sh"   # start_registry NAME PORT [CONFIG_LINE]
declare -A ports
requests() { cat "$work"/*/log | grep -c '" [0-9][0-9][0-9] [0-9-]* "' || true; }
uploads() { cat "$work"/dst*/log | grep -c '"PUT /v2/[^ ]*/blobs/uploads/[^ ]*digest=' || true; }
mounts() { cat "$work"/dst*/log | grep -c '"POST /v2/[^ ]*/blobs/uploads/?[^ ]*mount=' || true; }

src=$(start_registry src 0)
dotnet bench/ScaleGen/bin/Release/net10.0/ScaleGen.dll "127.0.0.1:$src" stg "$n" "$tags" "$work/images.yaml" attachments
write_manifest "$src"

# measure LABEL COMMAND...: appends "seconds requests uploads mounts" to $work/LABEL.
measure() {
  local label="$1" before start end up mo code=0; shift
  sleep 0.2; before=$(requests); up=$(uploads); mo=$(mounts)
  start=$(date +%s.%N)
  "$@" > "$work/$label.out" 2>&1 || code=$?
  end=$(date +%s.%N)
  sleep 0.3
  if ((code != 0)); then echo "$label failed ($code):" >&2; tail -5 "$work/$label.out" >&2; exit 1; fi
  echo "$(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.2f", b-a}') $(( $(requests) - before )) $(( $(uploads) - up )) $(( $(mounts) - mo ))" >> "$work/$label"
}
promote=(./build.sh --target Promote --manifest="$work/manifest.yaml" --threads="$threads" --verbosity=quiet)
for run in $(seq "$runs"); do
  for mode in true false; do
    reset_destinations
    measure "dry-$mode" "${promote[@]}" --copy-attachments="$mode"
    measure "cold-$mode" "${promote[@]}" --copy-attachments="$mode" --confirm
    measure "noop-$mode" "${promote[@]}" --copy-attachments="$mode" --confirm
  done
  echo "run $run/$runs done" >&2
done
# The destinations hold every signature after the last run with attachments? Checked on the run without: none.
median() { awk -v f="$2" '{print $f}' "$work/$1" | sort -g | awk '{v[NR]=$1} END{print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
row() {
  local phase="$1" name="$2"
  printf '| %-22s | %8.2f | %8.2f | %8.1f | %8.1f | %7s / %-7s | %6s / %-6s | %5.2fx |\n' "$name" \
    "$(median "$phase-true" 1)" "$(median "$phase-false" 1)" \
    "$(awk -v r="$(median "$phase-true" 2)" -v n="$n" 'BEGIN{print r/n}')" "$(awk -v r="$(median "$phase-false" 2)" -v n="$n" 'BEGIN{print r/n}')" \
    "$(median "$phase-true" 3)" "$(median "$phase-false" 3)" "$(median "$phase-true" 4)" "$(median "$phase-false" 4)" \
    "$(awk -v a="$(median "$phase-true" 1)" -v b="$(median "$phase-false" 1)" 'BEGIN{print a/b}')"
}
echo
echo "N=$n images (each with .sig and .att; $tags tags each, every 20th a manifest list), $dests destinations, threads $threads, median of $runs run(s)"
echo "| Promote                | Time with (s) | Time without (s) | Req/img with | Req/img without | Uploads with / without | Mounts with / without | Time with/without |"
echo "|---|---|---|---|---|---|---|---|"
row dry "dry run (cold plan)"
row cold "cold --confirm"
row noop "no-op --confirm"
