#!/usr/bin/env bash
# Promotion through a fault proxy: N generated images (bench/ScaleGen: a shared 2 MiB base layer, a small layer each,
# every 20th a manifest list) in a local source Distribution are promoted (`./build.sh --target Promote --confirm`) into an
# empty destination Distribution reached only through bench/FaultProxy, which injects a 429 storm (the first STORM
# requests answered 429 with Retry-After: 2), a 503 burst on manifest puts, connection resets on blob checks, and a
# registry-like quota (QUOTA requests per second; beyond it 429 with Retry-After: 1). Four runs, each on fresh storage:
# with --max-requests-per-second=LIMIT and with 0 (unlimited), with those faults and then with none (the clean runs show
# the rate the limit holds against the rate the machine reaches). Prints per run: total time, the requests the proxy saw
# by answer, the peak requests in any 1 s window (proxy timestamps) and in any second of the destination registry's
# access log, the transport's own counts (the run's `registry traffic` lines), and checks every promoted manifest
# byte for byte with skopeo (`skopeo inspect --raw` from the destination directly, sha256 equal to the digest promoted)
# and copies three images out with skopeo (which verifies every blob's digest).
# Needs docker-registry (apt-get install docker-registry), skopeo.
# Usage: bench/faults.sh [N]   (default 40; LIMIT=50 QUOTA=55 STORM=60 THREADS=8; KEEP=1 keeps the work folder)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-40}"; limit="${LIMIT:-50}"; quota="${QUOTA:-55}"; storm="${STORM:-60}"; threads="${THREADS:-8}"
cd "$root"
command -v skopeo >/dev/null || { echo "skopeo is missing: apt-get install skopeo" >&2; exit 1; }
./build.sh --target Default --dryrun >/dev/null   # compile the build program first if needed
dotnet build bench/ScaleGen -c Release -v quiet -nologo >/dev/null
dotnet build bench/FaultProxy -c Release -v quiet -nologo >/dev/null

work="$(mktemp -d -p /dev/shm faults.XXXXXX 2>/dev/null || mktemp -d)"
trap 'stop_and_remove_work "$work/proxy.pid"' EXIT

source "$root/bench/registry.sh"   # start_registry NAME PORT [CONFIG_LINE]

src=$(start_registry src 0)
dotnet bench/ScaleGen/bin/Release/net10.0/ScaleGen.dll "127.0.0.1:$src" stg "$n" 1 "$work/images.yaml" >&2

# run LABEL LIMIT [clean]: a fresh destination behind a fresh proxy (with the faults and the quota, or none when
# 'clean'); promotes; prints one block of figures.
run() {
  local label="$1" rate="$2" dst port start end code=0 faults=(--quota="$quota" "429:$storm:2@^" '503:10@^PUT /v2/.+/manifests/' 'reset:5@^HEAD /v2/.+/blobs/')
  [[ "${3:-}" == clean ]] && faults=()
  rm -rf "$work/dst"; dst=$(start_registry dst 0)
  rm -f "$work/proxy.port"
  dotnet bench/FaultProxy/bin/Release/net10.0/FaultProxy.dll "127.0.0.1:$dst" "$work/proxy.port" "$work/$label.proxy" \
    ${faults[@]+"${faults[@]}"} > "$work/proxy.out" 2>&1 &
  echo "$!" > "$work/proxy.pid"
  for _ in $(seq 200); do [[ -s "$work/proxy.port" ]] && break; sleep 0.05; done
  port=$(cat "$work/proxy.port")
  { echo "registries:"; echo "- name: 127.0.0.1:$src/stg"; echo "  src: true"; echo "- name: 127.0.0.1:$port/prod"; cat "$work/images.yaml"; } > "$work/$label.yaml"
  start=$(date +%s.%N)
  ./build.sh --target Promote --manifest="$work/$label.yaml" --confirm --threads="$threads" --max-requests-per-second="$rate" \
    --verbosity=verbose > "$work/$label.out" 2>&1 || code=$?
  end=$(date +%s.%N)
  sleep 0.3
  kill "$(cat "$work/proxy.pid")"; wait "$(cat "$work/proxy.pid")" 2>/dev/null || true; rm -f "$work/proxy.pid"
  if ((code != 0)); then echo "$label: the promotion failed ($code):" >&2; tail -5 "$work/$label.out" >&2; exit 1; fi
  # Byte-exact: every promoted manifest read straight from the destination hashes to the digest promoted.
  local checked=0 name digest
  while read -r name digest; do
    [[ "$(skopeo inspect --raw --tls-verify=false "docker://127.0.0.1:$dst/prod/$name@$digest" | sha256sum | cut -d' ' -f1)" == "${digest#sha256:}" ]] \
      || { echo "$label: $name@$digest differs in the destination" >&2; exit 1; }
    checked=$((checked + 1))
  done < <(awk '/^- name: /{name=$3} /"sha256:/{gsub(/[":]/," "); print name, "sha256:" $2}' "$work/images.yaml")
  while read -r name digest; do
    skopeo copy --all --quiet --src-tls-verify=false "docker://127.0.0.1:$dst/prod/$name@$digest" "dir:$work/copy-$label-$name" >/dev/null
  done < <(awk '/^- name: /{name=$3} /"sha256:/{gsub(/[":]/," "); print name, "sha256:" $2}' "$work/images.yaml" | head -3)
  kill "$(cat "$work/dst/pid")"; rm -f "$work/dst/pid"
  local p="$work/$label.proxy"
  echo
  if ((${#faults[@]} > 0)); then
    echo "== $label: --max-requests-per-second=$rate, N=$n images, threads $threads, proxy quota $quota/s, storm of $storm x 429 (Retry-After: 2), 10 x 503, 5 resets"
  else
    echo "== $label: --max-requests-per-second=$rate, N=$n images, threads $threads, no faults, no quota"
  fi
  printf 'total time: %.2f s\n' "$(awk -v a="$start" -v b="$end" 'BEGIN{print b-a}')"
  echo "proxy saw: $(wc -l < "$p") requests; forwarded $(awk '$5=="-"' "$p" | wc -l), storm 429 $(awk '$5=="TooManyRequests"' "$p" | wc -l)," \
    "quota 429 $(awk '$5=="OverQuota"' "$p" | wc -l), 503 $(awk '$5=="ServiceUnavailable"' "$p" | wc -l), resets $(awk '$5=="Reset"' "$p" | wc -l)"
  echo "peak requests in any 1 s window (proxy timestamps): $(sort -g "$p" | awk '{t[NR]=$1} END{s=1; m=0; for(e=1;e<=NR;e++){while(t[e]-t[s]>=1)s++; if(e-s+1>m)m=e-s+1} print m}')"
  echo "peak requests in one second of the destination registry's access log: $(grep -o '\[[0-9]*/[A-Za-z]*/[0-9:]* [+-][0-9]*\] "' "$work/dst/log" | sort | uniq -c | sort -nr | head -1 | awk '{print $1}')"
  echo "forwarded rate over the run: $(awk '$5=="-"{t[++k]=$1} END{if(k>1) printf "%.1f req/s", (k-1)/(t[k]-t[1])}' <(sort -g "$p"))"
  sed 's/\x1b\[[0-9;]*m//g' "$work/$label.out" | grep -o 'registry traffic .*' | sed 's/^registry traffic /transport: /'
  echo "byte-exact: $checked manifests hash to the digests promoted (skopeo inspect --raw); 3 images copied out by skopeo (blob digests verified)"
}

run limited "$limit"
run unlimited 0
run limited-clean "$limit" clean
run unlimited-clean 0 clean
