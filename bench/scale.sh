#!/usr/bin/env bash
# Promotion at scale, side by side in one run: N generated images (a shared 2 MiB base layer, a small layer of their own,
# every 20th a manifest list, TAGS tags each) in a local source Distribution, promoted into DESTS empty destination
# Distributions by
#   - the project (`./build.sh --target Promote`): dry run of the cold plan, cold --confirm, no-op --confirm, the no-op
#     with --verify-destination (every promoted manifest fetched and every blob HEADed: the audit's cost), and
#     --manifest-diff-since=HEAD~1 on a git copy of the manifest whose last commit added one tag to one image;
#   - `skopeo sync --all` (one per destination, all destinations at once), cold and no-op;
#   - `skopeo copy --all`, one per (image, tag, destination), COPY_PARALLEL at once (xargs -P), cold and no-op, each with
#     `--retry-times 3` (copies of one image's tags race on its blobs, and Distribution answers some of those races with
#     a 500; the promoter retries a 5xx too);
#   - the registry-capacity bound: bench/ScaleGen's `heads` probe sends exactly the requests of the smallest no-op plan
#     (per image a HEAD by digest in the source, a HEAD by tag per destination tag) with K requests in flight
#     (CAPACITY_CLIENTS, the fastest K counts), over bare keep-alive HTTP: the floor of a no-op on these registries;
#   - the write bound: bench/ScaleGen's `writes` probe sends exactly the requests of the smallest safe cold promotion of
#     the same images into the first COLD_DESTS destinations, freshly emptied before each K (CAPACITY_CLIENTS, the
#     fastest K counts), over bare keep-alive HTTP: once per run the source manifests (children too) and the bytes of
#     each blob some destination needs uploaded (GET, checked against the digest); per image and destination one tag
#     listing (404 on a cold repository), per distinct blob one cross-repository mount (201) when an earlier image of the
#     run put the blob into that destination, else an upload as POST and PUT ?digest= (Distribution 2.8 answers a
#     one-request POST ?digest= with 202), an index's children PUT by digest, then one manifest PUT per tag
#     (Docker-Content-Digest checked). Its requests are counted by the probe and, as a check, in the registries' access
#     logs (less the probe's one GET /v2/ per connection, sent before its clock starts); the table prints both. Every cold
#     row's it/bound is its time / the write bound's. Each K is a whole cold write (at N=10000 one K, e.g.
#     CAPACITY_CLIENTS=32, saves one). WRITES=0 skips it. What counts, in full: bench/ScaleGen/WriteLoad.cs and
#     bench/README.md;
#   - with OLD_COMMIT=<commit>, that commit's own cold --confirm promotion of the same manifest (OLD_PROMOTE_FLAGS,
#     default PROMOTE_FLAGS), built in a git worktree under .build/ (removed at the end unless KEEP_OLD=1) and run from it
#     on freshly emptied destinations in every cold run, before the write bound and the current tree's cold run: the
#     table prints old beside current (time, requests per image, old/current).
# Order within a cold run: skopeo, the old commit's cold run, the write bound, then the project's dry, cold, no-op runs.
# Each figure is the median of RUNS runs (SKOPEO_RUNS for skopeo, 1 by default: skopeo takes minutes at N=200);
# every cold run starts from empty destinations (restarted on fresh storage). Prints one table: wall time, requests per
# image (all registries' access logs), peak RSS (/usr/bin/time -v: the largest single process of the command, i.e. the
# promoter's own process, or the largest skopeo), blob uploads and mounts, and the ratios to both skopeo modes and to the
# capacity bound (no-op rows) or the write bound (cold rows).
# The images are pushed by bench/ScaleGen (the project's own registry client, built with `dotnet build`).
# Needs docker-registry (apt-get install docker-registry), skopeo, /usr/bin/time (apt-get install time).
# PEERS="sync copy" by default; PEERS=none skips skopeo (memory runs at N=10000). KEEP=1 keeps the work folder (logs).
# PROMOTE_FLAGS adds promoter flags (see "promoter flags" below). TABLE_FROM=DIR re-prints the table of a kept work
# folder (one stopped half-way shows what was measured).
# COLD_DESTS=K (default DESTS) makes the cold runs (the project's and skopeo's, and their no-op reruns) go to the first
# K destinations only; the other destinations are then seeded with a copy of the first destination's storage (the
# registry stopped, its folder copied, restarted: the same files a promotion writes) before the project's no-op,
# --verify-destination and diff runs and the capacity bound over all DESTS. That is how N=10000 DESTS=10 fits in an
# hour here: a cold promotion into 10 registries would take most of it, and skopeo's into 10 several hours. DRY=0 skips
# the dry run, VERIFY=0 the --verify-destination run, SKOPEO_NOOP=0 skopeo's no-op runs (each as long as its cold run).
# COLD_RUNS=K (default RUNS): only the first K runs start from empty destinations (dry, cold, old commit's cold, write
# bound, seeding, diff, skopeo);
# runs K+1..RUNS re-measure the no-op (and --verify-destination) and the capacity bound on the storage the runs before
# left, so a median of the no-op at N=10000 x 10 costs about 20 minutes a run instead of 40.
# Usage: bench/scale.sh [N] [DESTS]   (default 100 3, a few minutes here; RUNS=3, SKOPEO_RUNS=1, TAGS=3, THREADS=8,
#        COPY_PARALLEL=8, CAPACITY_CLIENTS="8 32"). `bench/scale.sh 10000 10` works (hours with the peers).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-100}"; dests="${2:-3}"; runs="${RUNS:-3}"; skopeo_runs="${SKOPEO_RUNS:-1}"; tags="${TAGS:-3}"; threads="${THREADS:-8}"
peers="${PEERS:-sync copy}"; copy_parallel="${COPY_PARALLEL:-8}"; capacity_clients="${CAPACITY_CLIENTS:-8 32}"
cold_dests="${COLD_DESTS:-$dests}"; dry="${DRY:-1}"; verify="${VERIFY:-1}"; skopeo_noop="${SKOPEO_NOOP:-1}"
cold_runs="${COLD_RUNS:-$runs}"; writes="${WRITES:-1}"; old_commit="${OLD_COMMIT:-}"
((cold_dests >= 1 && cold_dests <= dests)) || { echo "COLD_DESTS must be 1..$dests" >&2; exit 1; }
((cold_runs >= 1 && cold_runs <= runs)) || { echo "COLD_RUNS must be 1..$runs (RUNS)" >&2; exit 1; }
((skopeo_runs <= cold_runs)) || skopeo_runs=$cold_runs   # skopeo runs only in runs that start from empty destinations
[[ "$peers" == none ]] && peers=""
cd "$root"
if [[ -n "${TABLE_FROM:-}" ]]; then
  # Re-print the table of a kept work folder (KEEP=1), also of a run stopped half-way: what was measured is shown.
  work="$TABLE_FROM"
  # shellcheck disable=SC1091
  source "$work/params"
  load_end="(not recorded: table printed afterwards)"
fi
if [[ -z "${TABLE_FROM:-}" ]]; then
command -v /usr/bin/time >/dev/null || { echo "/usr/bin/time is missing: apt-get install time" >&2; exit 1; }
[[ -z "$peers" ]] || command -v skopeo >/dev/null || { echo "skopeo is missing: apt-get install skopeo" >&2; exit 1; }
./build.sh --target Default --dryrun >/dev/null   # compile the build program first if needed
dotnet build bench/ScaleGen -c Release -v quiet -nologo >/dev/null
scalegen=(dotnet bench/ScaleGen/bin/Release/net10.0/ScaleGen.dll)

# OLD_COMMIT: that commit in a worktree under .build/, its build program compiled there by its own build.sh (as
# bench/startup.sh does); kept for the next run with KEEP_OLD=1 (a worktree at the same commit is reused).
old_tree=""
remove_old_tree() {
  if [[ -n $old_tree && ${KEEP_OLD:-0} != 1 ]]; then
    git -C "$root" worktree remove --force "$old_tree" 2>/dev/null || { rm -rf "$old_tree"; git -C "$root" worktree prune; }
  fi
}
if [[ -n $old_commit ]]; then
  old_full="$(git rev-parse --verify --quiet "$old_commit^{commit}")" || { echo "scale.sh: no commit '$old_commit'" >&2; exit 2; }
  old_commit="${old_full:0:7}"
  old_tree="$root/.build/scale-old-${old_full:0:12}"
  trap remove_old_tree EXIT
  if [[ "$(git -C "$old_tree" rev-parse HEAD 2>/dev/null)" != "$old_full" ]]; then
    rm -rf "$old_tree"
    git worktree prune
    mkdir -p "$root/.build"
    git worktree add --detach "$old_tree" "$old_full" >/dev/null 2>&1
  fi
  echo "building $old_commit in $old_tree" >&2
  if ! build_log="$(cd "$old_tree" && ./build.sh --target Default --dryrun 2>&1)"; then echo "$build_log" >&2; exit 1; fi
fi
load_start="$(uptime | sed 's/.*load average: //')"

# The registries' storage: /dev/shm while it fits, else disk. Distribution's filesystem layout costs about 40 inodes per
# image and registry (a folder per link), and N=10000 with 10 destinations needs over 4 million: more than a tmpfs
# of half of 24 GiB has (3 million). WORK_ROOT=DIR chooses.
work_root="${WORK_ROOT:-}"
if [[ -z "$work_root" ]]; then
  if (( n * (dests + 1) * 40 < $(df --output=iavail /dev/shm 2>/dev/null | tail -1 || echo 0) / 2 )); then work_root=/dev/shm; else work_root=/var/tmp; fi
fi
work="$(mktemp -d -p "$work_root" scale.XXXXXX)"
trap 'stop_and_remove_work; remove_old_tree' EXIT

source "$root/bench/registry.sh"   # start_registry NAME PORT [CONFIG_LINE]
# seed_destinations: destinations COLD_DESTS+1..DESTS restarted on a copy of the first destination's storage.
seed_destinations() {
  ((cold_dests < dests)) || return 0
  kill "$(cat "$work/dst1/pid")" 2>/dev/null || true
  for d in $(seq $((cold_dests + 1)) "$dests"); do kill "$(cat "$work/dst$d/pid")" 2>/dev/null || true; done
  sleep 0.5
  for d in $(seq $((cold_dests + 1)) "$dests"); do
    rm -rf "$work/dst$d/storage"; cp -a "$work/dst1/storage" "$work/dst$d/storage"
    start_registry "dst$d" "${ports[$d]}" >/dev/null
  done
  start_registry dst1 "${ports[1]}" >/dev/null
  # The copies are millions of small files at N=10000: write them out now, or the kernel's writeback shares the
  # machine with the no-op measured next (at 10,000 x 10 the registries used 36% more CPU for the same requests in the
  # no-op right after the seeding than in the two measured later).
  sync
}
# The access-log lines the registries wrote since the last mark_logs (byte offsets per log: logs grow large at N=10000).
mark_logs() { for log in "$work"/*/log; do stat -c %s "$log" > "$log.mark"; done; }
new_log_lines() { for log in "$work"/${1:-*}/log; do tail -c +"$(( $(cat "$log.mark" 2>/dev/null || echo 0) + 1 ))" "$log"; done; }
count() { grep -c "$1" || true; }
access='" [0-9][0-9][0-9] [0-9-]* "'
# Blob uploads committed (PUT ...?digest=) and cross-repository mounts (POST ...?mount=) served by the destinations.
uploads='"PUT /v2/[^ ]*/blobs/uploads/[^ ]*digest='
mounts='"POST /v2/[^ ]*/blobs/uploads/?[^ ]*mount='

src=$(start_registry src 0)
"${scalegen[@]}" "127.0.0.1:$src" stg "$n" "$tags" "$work/images.yaml"
declare -A ports
write_manifest "$src"
destination_hosts="$(for d in $(seq "$dests"); do printf '127.0.0.1:%s,' "${ports[$d]}"; done)"; destination_hosts="${destination_hosts%,}"
cold_hosts="$(for d in $(seq "$cold_dests"); do printf '127.0.0.1:%s,' "${ports[$d]}"; done)"; cold_hosts="${cold_hosts%,}"
# The manifest of the cold runs: the first COLD_DESTS destinations.
awk -v keep="$cold_dests" '/^- name: 127.0.0.1:[0-9]+\/prod$/ { if (++d > keep) next } { print }' "$work/manifest.yaml" > "$work/manifest-cold.yaml"
{ echo "127.0.0.1:$src:"; echo "  tls-verify: false"; echo "  images:"; cat "$work/images.yaml.skopeo"; } > "$work/sync.yaml"
echo '{"default":[{"type":"insecureAcceptAnything"}]}' > "$work/policy.json"
# skopeo copy's jobs: one line "source destination" per (destination, image, tag), cold destinations only.
for d in $(seq "$cold_dests"); do
  sed -n 's/^ *\(stg\/\([^:]*\)\): \[\(.*\)\]$/\1 \2 \3/p' "$work/images.yaml.skopeo" | tr -d '",' |
    while read -r repository image image_tags; do
      for tag in $image_tags; do echo "127.0.0.1:$src/$repository:$tag 127.0.0.1:${ports[$d]}/prod/$image:$tag"; done
    done
done > "$work/copy.jobs"

# registry_cpu: user + system seconds the running registries have used so far (/proc/PID/stat fields 14 and 15, ticks).
registry_cpu() {
  local ticks=0 pid
  for file in "$work"/*/pid; do
    pid=$(cat "$file"); [[ -r /proc/$pid/stat ]] || continue
    ticks=$((ticks + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$ticks"
}
# measure LABEL COMMAND...: runs the command under /usr/bin/time -v; appends "seconds requests rss-kib uploads mounts
# cpu-seconds" to $work/LABEL (cpu: user + system time of the command and the children it waited for, i.e. the promoter
# or skopeo, not the registries) registry-cpu-seconds (all registries').
measure() {
  local label="$1" start end code=0 lines reg_start reg_end; shift
  sleep 0.2; mark_logs
  start=$(date +%s.%N); reg_start=$(registry_cpu)
  /usr/bin/time -v -o "$work/time.out" "$@" > "$work/$label.out" 2>&1 || code=$?
  end=$(date +%s.%N); reg_end=$(registry_cpu)
  sleep 0.3   # let the access logs flush
  if ((code != 0)); then
    echo "$label failed ($code):" >&2; tail -5 "$work/$label.out" >&2
    # The project's failure ends the bench; a skopeo peer's is recorded (its figures kept, the table says so) and the
    # runs go on: one failed copy among thousands should not cost the project's remaining runs.
    [[ "$label" == sync-* || "$label" == copy-* ]] || exit 1
    echo "$label: exit $code ($(grep -c 'level=fatal' "$work/$label.out" || true) fatal error(s), see $label.out)" >> "$work/failures"
  fi
  lines="$work/lines"; new_log_lines > "$lines"
  echo "$(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.2f", b-a}') $(count "$access" < "$lines") $(awk '/Maximum resident/{print $NF}' "$work/time.out")" \
    "$(new_log_lines 'dst*' | count "$uploads") $(new_log_lines 'dst*' | count "$mounts")" \
    "$(awk '/User time|System time/{s+=$NF} END{printf "%.1f", s}' "$work/time.out")" \
    "$(awk -v a="$reg_start" -v b="$reg_end" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.1f", (b-a)/hz}')" >> "$work/$label"
}

# ---- promoter flags: everything the project's promotion is run with is assembled here. ----
# The registries are on loopback and the point is to find the registries' own limit: when the registry transport gains
# a per-host request-rate limit, add its "unlimited" value here (e.g. --max-requests-per-second=0).
promote_flags=(--manifest="$work/manifest.yaml" --threads="$threads" --verbosity=quiet)
# shellcheck disable=SC2206 # PROMOTE_FLAGS is a list of words on purpose
promote_flags+=(${PROMOTE_FLAGS:-})
# ---- end of promoter flags ----
promote=(./build.sh --target Promote "${promote_flags[@]}")

sync_all() {
  local pids=() code=0
  for d in $(seq "$cold_dests"); do
    skopeo --policy "$work/policy.json" sync --all --src yaml --dest docker --dest-tls-verify=false \
      "$work/sync.yaml" "127.0.0.1:${ports[$d]}/prod" > "$work/sync$d.out" 2>&1 & pids+=("$!")
  done
  for pid in "${pids[@]}"; do wait "$pid" || code=$?; done
  return "$code"
}
copy_all() {
  xargs -a "$work/copy.jobs" -P "$copy_parallel" -n 2 sh -c \
    'exec skopeo --policy "$0" copy --all --quiet --retry-times 3 --src-tls-verify=false --dest-tls-verify=false "docker://$1" "docker://$2"' "$work/policy.json"
}
export -f sync_all copy_all
export work dests cold_dests copy_parallel

# capacity: the heads probe for every K of CAPACITY_CLIENTS; appends "seconds requests rate clients" of the fastest K.
capacity() {
  local best="" line
  for clients in $capacity_clients; do
    line=$("${scalegen[@]}" heads "$work/images.yaml" "127.0.0.1:$src" stg "$destination_hosts" prod "$clients")
    # heads REQUESTS CLIENTS SECONDS RATE
    if [[ -z "$best" ]] || awk -v a="$(echo "$line" | cut -d' ' -f4)" -v b="$(echo "$best" | cut -d' ' -f4)" 'BEGIN{exit !(a<b)}'; then best="$line"; fi
  done
  echo "$best" | awk '{print $4, $2, $5, $3}' >> "$work/capacity"
}

# write_bound: the writes probe for every K of CAPACITY_CLIENTS, each into freshly emptied destinations; appends the
# fastest K's "seconds requests - uploads mounts - registry-cpu clients log-requests source-manifest-gets blob-gets
# blob-bytes tag-lists mounts uploads manifest-puts" to $work/writes (fields 1-7 as measure's; uploads and mounts from
# the destinations' access logs, log-requests from all registries' logs less the probe's warm-up GET /v2/).
write_bound() {
  local best="" line clients reg_start reg_end record
  for clients in $capacity_clients; do
    reset_destinations drop-logs
    sleep 0.2; mark_logs; reg_start=$(registry_cpu)
    line=$("${scalegen[@]}" writes "$work/images.yaml" "127.0.0.1:$src" stg "$cold_hosts" prod "$clients") ||
      { echo "write bound with $clients clients failed" >&2; exit 1; }
    reg_end=$(registry_cpu)
    sleep 0.3
    # writes REQUESTS CLIENTS SECONDS RATE MANIFEST_GETS BLOB_GETS BLOB_BYTES TAG_LISTS MOUNTS UPLOADS MANIFEST_PUTS
    record="$(echo "$line" | awk '{print $4, $2}') - $(new_log_lines 'dst*' | count "$uploads") $(new_log_lines 'dst*' | count "$mounts") -"
    record+=" $(awk -v a="$reg_start" -v b="$reg_end" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.1f", (b-a)/hz}') $clients"
    record+=" $(new_log_lines | grep "$access" | { grep -vc '"GET /v2/ HTTP' || true; }) $(echo "$line" | cut -d' ' -f6-)"
    if [[ -z "$best" ]] || awk -v a="${record%% *}" -v b="${best%% *}" 'BEGIN{exit !(a<b)}'; then best="$record"; fi
  done
  echo "$best" >> "$work/writes"
}

# The manifest in a git repository of its own, two commits: all images, then one tag added to the first image. A
# promotion with --manifest-diff-since=HEAD~1 plans only the edges that commit added (one per destination).
git_manifest="$work/git/manifest.yaml"
mkdir -p "$work/git"
git -C "$work/git" init -q
cp "$work/manifest.yaml" "$git_manifest"
git -C "$work/git" add manifest.yaml
git -C "$work/git" -c user.name=bench -c user.email=bench@localhost commit -q -m "all images"
sed -i '0,/\["v1", /s//["v1", "diff", /' "$git_manifest"
git -C "$work/git" -c user.name=bench -c user.email=bench@localhost commit -q -am "one tag added"
diff_flags=(--manifest="$git_manifest" --manifest-diff-since=HEAD~1 "${promote_flags[@]:1}")

declare -p n dests cold_dests runs cold_runs skopeo_runs tags threads copy_parallel capacity_clients load_start old_commit > "$work/params"
promote_cold=(./build.sh --target Promote --manifest="$work/manifest-cold.yaml" "${promote_flags[@]:1}")
# The old commit's cold run: its own build.sh from its worktree, the same manifest and base flags.
# shellcheck disable=SC2206 # OLD_PROMOTE_FLAGS is a list of words on purpose
promote_old=(env -C "$old_tree" ./build.sh --target Promote --manifest="$work/manifest-cold.yaml" --threads="$threads" --verbosity=quiet
  ${OLD_PROMOTE_FLAGS-${PROMOTE_FLAGS:-}})
for run in $(seq "$runs"); do
  # Runs after COLD_RUNS skip to the no-op on what the runs before left: every destination holds every image.
  if ((run <= cold_runs)); then
    # skopeo first: the project's runs come last, so a no-op-only run after this one finds every destination promoted.
    if ((run <= skopeo_runs)); then
      for peer in $peers; do
        reset_destinations drop-logs
        measure "$peer-cold" bash -c "$(declare -p ports); ${peer}_all"
        if ((skopeo_noop)); then measure "$peer-noop" bash -c "$(declare -p ports); ${peer}_all"; fi
      done
    fi
    if [[ -n $old_tree ]]; then reset_destinations drop-logs; measure old-cold "${promote_old[@]}" --confirm; fi
    if ((writes)); then write_bound; fi
    reset_destinations drop-logs
    if ((dry)); then measure dry "${promote[@]}"; fi
    measure cold "${promote_cold[@]}" --confirm
    if ((cold_dests < dests)); then measure noop-cold "${promote_cold[@]}" --confirm; fi
    seed_destinations
  fi
  measure noop "${promote[@]}" --confirm
  if ((verify)); then measure verify "${promote[@]}" --confirm --verify-destination; fi
  # A run from empty destinations: the tag the last commit added is new to them, as a diff run expects.
  if ((run <= cold_runs)); then measure diff ./build.sh --target Promote "${diff_flags[@]}" --confirm; fi
  capacity
  echo "run $run/$runs done" >&2
done
load_end="$(uptime | sed 's/.*load average: //')"
fi

# median LABEL FIELD: the median of a column over the runs ("-" when LABEL was not measured).
median() {
  [[ -f "$work/$1" ]] || { echo -; return; }
  awk -v f="$2" '{print $f}' "$work/$1" | sort -g | awk '{v[NR]=$1} END{print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'
}
# ratio A B: A/B with one decimal and an x, or "-" when either is missing.
ratio() { [[ "$1" == - || "$2" == - ]] && { echo -; return; }; awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2fx", a/b}'; }
row() {
  local label="$1" name="$2"
  [[ -f "$work/$label" ]] || return 0
  printf '| %-38s | %8.2f | %7s | %7s | %7.1f | %7.0f | %7s | %6s | %-7s | %-7s | %-8s |\n' "$name" "$(median "$label" 1)" \
    "$(median "$label" 6)" "$(median "$label" 7)" "$(awk -v r="$(median "$label" 2)" -v n="$n" 'BEGIN{print r/n}')" "$(( $(median "$label" 3) / 1024 ))" \
    "$(median "$label" 4)" "$(median "$label" 5)" "${3:-}" "${4:-}" "${5:-}"
}
cold=$(median cold 1); noop=$(median noop 1); bound=$(median capacity 1); write_bound=$(median writes 1)
# per_image LABEL FIELD: the median of a count column over the runs, per image, two decimals.
per_image() { awk -v r="$(median "$1" "$2")" -v n="$n" 'BEGIN{printf "%.2f", r/n}'; }
# distinct LABEL FIELD: the distinct values of a column over the runs, e.g. "8/32" (the K of the fastest client counts).
distinct() { awk -v f="$2" '{print $f}' "$work/$1" | sort -un | paste -sd/; }
# seconds VALUE: two decimals.
seconds() { awk -v v="$1" 'BEGIN{printf "%.2f", v}'; }
# The no-op skopeo is compared with: the project's no-op into the same (cold) destinations.
noop_same=$noop; [[ -f "$work/noop-cold" ]] && noop_same=$(median noop-cold 1)
cold_dests="${cold_dests:-$dests}"
echo
cold_runs="${cold_runs:-$runs}"
echo "N=$n images ($tags tags each, every 20th a manifest list), $dests destinations (cold runs into $cold_dests), threads $threads, median of $runs runs" \
  "(no-op, verify and capacity bound; $cold_runs for dry, cold, old cold, write bound and diff; $skopeo_runs for skopeo; skopeo copy $copy_parallel at once); $(nproc) cores," \
  "load average at start $load_start, at end $load_end"
echo "| Command                                | Time (s) | CPU (s) | Reg CPU | Req/img | RSS MiB | Uploads | Mounts | sync/it | copy/it | it/bound |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
row dry "Promote dry run (cold plan, $dests dests)"
row cold "Promote cold ($cold_dests dests)" "$(ratio "$(median sync-cold 1)" "$cold")" "$(ratio "$(median copy-cold 1)" "$cold")" \
  "$(ratio "$cold" "$write_bound")"
row old-cold "Promote cold, old ${old_commit:-} ($cold_dests dests)" '' '' "$(ratio "$(median old-cold 1)" "$write_bound")"
if [[ -f "$work/noop-cold" ]]; then
  row noop-cold "Promote no-op ($cold_dests dests)" "$(ratio "$(median sync-noop 1)" "$noop_same")" "$(ratio "$(median copy-noop 1)" "$noop_same")"
  row noop "Promote no-op ($dests dests)" '' '' "$(ratio "$noop" "$bound")"
else
  row noop "Promote no-op ($dests dests)" "$(ratio "$(median sync-noop 1)" "$noop")" "$(ratio "$(median copy-noop 1)" "$noop")" "$(ratio "$noop" "$bound")"
fi
row verify "Promote no-op --verify-destination" '' '' "$(ratio "$(median verify 1)" "$bound")"
row diff 'Promote --manifest-diff-since (1 tag)'
row sync-cold "skopeo sync --all cold ($cold_dests dests)"
row sync-noop "skopeo sync --all no-op ($cold_dests dests)"
row copy-cold "skopeo copy --all x$copy_parallel cold ($cold_dests)"
row copy-noop "skopeo copy --all x$copy_parallel no-op ($cold_dests)"
[[ -f "$work/capacity" ]] && printf '| %-38s | %8.2f | %7s | %7s | %7.1f | %7s | %7s | %6s | %-7s | %-7s | %-8s |\n' \
  "Capacity bound ($dests dests, $(distinct capacity 4) clients)" "$bound" - - "$(awk -v r="$(median capacity 2)" -v n="$n" 'BEGIN{print r/n}')" - - - '' '' 1.00x
[[ -f "$work/writes" ]] && printf '| %-38s | %8.2f | %7s | %7.1f | %7.1f | %7s | %7s | %6s | %-7s | %-7s | %-8s |\n' \
  "Write bound ($cold_dests dests, $(distinct writes 8) clients)" "$write_bound" - "$(median writes 7)" "$(awk -v r="$(median writes 2)" -v n="$n" 'BEGIN{print r/n}')" - \
  "$(median writes 4)" "$(median writes 5)" '' '' 1.00x
if [[ -f "$work/old-cold" ]]; then
  echo "Old $old_commit vs current, cold into $cold_dests: $(seconds "$(median old-cold 1)") s vs $(seconds "$cold") s (old/current $(ratio "$(median old-cold 1)" "$cold")), $(per_image old-cold 2) vs $(per_image cold 2) requests per image."
fi
if [[ -f "$work/writes" ]]; then
  echo "Write bound per image: $(per_image writes 10) source manifest GETs, $(per_image writes 11) source blob GETs ($(median writes 12) bytes in all)," \
    "$(per_image writes 13) tag listings, $(per_image writes 14) mounts, $(per_image writes 15) uploads (POST + PUT each), $(per_image writes 16) manifest PUTs" \
    "(fastest of K in {$capacity_clients}, each K into freshly emptied destinations); the access logs counted $(median writes 9) requests against its $(median writes 2)" \
    "$([[ "$(median writes 9)" == "$(median writes 2)" ]] && echo "(equal)" || echo "(DIFFERENT: see bench/ScaleGen/WriteLoad.cs)")."
fi
echo "Capacity: the registries answered $(median capacity 3) manifest HEADs/s (no-op plan's requests, fastest of K in {$capacity_clients})."
echo "CPU: user + system seconds of the command itself (the promoter's or skopeo's processes), not the registries'; Reg CPU: the registries' user + system seconds meanwhile."
echo "sync/it, copy/it: the skopeo mode's time / the project's; it/bound: the row's time / the capacity bound's (no-op rows) or the write bound's (cold rows)."
if [[ -f "$work/failures" ]]; then echo "Failed (figures above include the failed runs):"; sed 's/^/  /' "$work/failures"; fi
