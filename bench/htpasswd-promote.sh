#!/usr/bin/env bash
# Basic auth under concurrency: `./build.sh --target Promote --confirm` of six images (golden-foo/foo's manifest list,
# its three children and its tagless image, golden-bar/bar:1.0) from one CNCF Distribution to another, both with
# `auth: htpasswd` (bcrypt), credentials from a docker config.json ($DOCKER_CONFIG, basic auth). Each run starts from
# an empty destination. Prints, per thread count, the exit code, the wall time of the whole command (start-up included),
# the requests both registries served during it and how many of them were answered 401.
# Needs docker-registry and htpasswd (apt-get install docker-registry apache2-utils).
# Usage: bench/htpasswd-promote.sh [THREADS...]   (default: 8 1; RUNS=3 runs each, the fastest reported;
#        BCRYPT_COST=5, htpasswd's default: Distribution checks the bcrypt hash on every request that carries basic auth)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${RUNS:-3}"
threads=("$@")
((${#threads[@]})) || threads=(8 1)
cd "$root"
command -v htpasswd >/dev/null || { echo "htpasswd is missing: apt-get install apache2-utils" >&2; exit 1; }
./build.sh --target Default --dryrun >/dev/null   # compile the build program first if needed

work="$(mktemp -d)"
# Registries are started inside $(...) subshells, so their ids live in pid files, not in a variable of this shell.
cleanup() {
  for file in "$work"/*/pid; do [[ -f "$file" ]] && kill "$(cat "$file")" 2>/dev/null || true; done
  sleep 0.2
  rm -rf "$work"
}
trap cleanup EXIT
htpasswd -Bbn -C "${BCRYPT_COST:-5}" bench bench-pass > "$work/htpasswd"
htpasswd_config="auth: {htpasswd: {realm: bench, path: '$work/htpasswd'}}"

source "$root/bench/registry.sh"   # start_registry NAME PORT [CONFIG_LINE]
stop_registry() { kill "$(cat "$work/$1/pid")" 2>/dev/null || true; sleep 0.2; }
requests() { cat "$work"/src/log "$work"/dst/log 2>/dev/null | grep -c '" [0-9][0-9][0-9] [0-9-]* "' || true; }
refused() { cat "$work"/src/log "$work"/dst/log 2>/dev/null | grep -c '" 401 [0-9-]* "' || true; }

# The source: seeded open with the project's golden set, then restarted with htpasswd on the same port and storage.
src=$(start_registry src 0)
./build.sh --target PushSrc --registry="127.0.0.1:$src/stg" --verbosity=quiet >/dev/null
stop_registry src
src=$(start_registry src "$src" "$htpasswd_config")

mkdir -p "$work/docker"
auth=$(printf 'bench:bench-pass' | base64)
cat > "$work/manifest.yaml" <<EOF
registries:
- name: 127.0.0.1:$src/stg
  src: true
- name: 127.0.0.1:DESTINATION/prod
images:
- name: golden-foo/foo
  dmap:
    "sha256:c468db675d48aac93bad9258fb5fd9fbb3615f204bbe60bb770c1a069240e1ed": ["1.0"]
    "sha256:517bcc5ed5196d0d23b700983f51c11acad35f005e961fc66e325c05766354f4": ["1.0-linux_amd64"]
    "sha256:b49863234f27a8320b8fcbdfb2705a5bbee36f151fa35ec0f0058b3709961b47": ["1.0-linux_s390x"]
    "sha256:b1080bf8f2f0cad8e52b748a33c241d23a369ac2378e946b2e3dd1ae0a3f21df": ["1.0-linux_arm64"]
    "sha256:15e11c253c4e7ba99aca2126680a52d5d22a25a250a96468558b515e27150f60": []
- name: golden-bar/bar
  dmap:
    "sha256:fffee9412bc1dfafab09b7dba7772595a985c7d89f1889cd37d53decd4d49234": ["1.0"]
EOF

# promote_once THREADS: one Promote into a fresh destination; prints "exit seconds requests refused".
promote_once() {
  rm -rf "$work/dst"
  local dst start end before before401 code=0
  dst=$(start_registry dst 0 "$htpasswd_config")
  sed "s/DESTINATION/$dst/" "$work/manifest.yaml" > "$work/run.yaml"
  printf '{"auths":{"127.0.0.1:%s":{"auth":"%s"},"127.0.0.1:%s":{"auth":"%s"}}}\n' "$src" "$auth" "$dst" "$auth" > "$work/docker/config.json"
  before=$(requests); before401=$(refused)
  start=$(date +%s.%N)
  DOCKER_CONFIG="$work/docker" ./build.sh --target Promote --manifest="$work/run.yaml" --threads="$1" --confirm \
    --verbosity=quiet > "$work/promote.out" 2>&1 || code=$?
  end=$(date +%s.%N)
  sleep 0.2   # let the access logs flush
  echo "$code $(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.2f", b-a}') $(( $(requests) - before )) $(( $(refused) - before401 ))"
  stop_registry dst
  if ((code != 0)); then sed 's/\x1b\[[0-9;]*m//g' "$work/promote.out" | grep -m1 '^Error' | cut -c1-300 >&2 || true; fi
}

for n in "${threads[@]}"; do
  best=""
  for _ in $(seq "$runs"); do
    result=$(promote_once "$n")
    if [[ -z "$best" ]] || awk -v a="$result" -v b="$best" 'BEGIN{split(a,x," ");split(b,y," ");exit !(x[1]<y[1] || (x[1]==y[1] && x[2]<y[2]))}'; then
      best="$result"
    fi
  done
  read -r code seconds count denied <<<"$best"
  echo "promote 6 images, htpasswd (bcrypt cost ${BCRYPT_COST:-5}) on both registries, --threads=$n: exit $code, ${seconds} s, $count requests ($denied answered 401)"
done
