#!/usr/bin/env bash
# Pushes the upstream golden set (images/golden/upstream) to a fresh local registry with each engine,
# through the whole `./build.sh --target PushSrc` command (start-up, its own registry and teardown included),
# and prints both wall times and their ratio. Needs dockerd running (for the docker engine) and docker-registry.
# Usage: bench/push-golden.sh [RUNS]   (default 3; the best run of each engine is reported)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-3}"
cd "$root"
args=(--target PushSrc --golden=images/golden/upstream/golden.yaml --verbosity=quiet)
./build.sh --target Default --dryrun >/dev/null   # compile the build program first if needed

images=(gcr.io/k8s-staging-cip-test/golden-bar/bar:1.0 gcr.io/k8s-staging-cip-test/golden-foo/foo:1.0-linux_amd64
        gcr.io/k8s-staging-cip-test/golden-foo/foo:1.0-linux_s390x gcr.io/k8s-staging-cip-test/golden-foo/foo:NOTAG-0)
best() { sort -n | head -1; }
time_run() {  # prints the wall time of one run of build.sh with the given extra arguments
  local start end
  start=$(date +%s.%N)
  ./build.sh "${args[@]}" "$@" >/dev/null
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN{printf "%.3f\n", b-a}'
}

oci=$(for _ in $(seq "$runs"); do time_run --engine=oci; done | best)
docker_time=$(for _ in $(seq "$runs"); do docker rmi -f "${images[@]}" >/dev/null 2>&1 || true; time_run --engine=docker; done | best)
echo "push golden set, oci engine:    ${oci} s"
echo "push golden set, docker engine: ${docker_time} s"
awk -v o="$oci" -v d="$docker_time" 'BEGIN{printf "ratio docker/oci: %.2f\n", d/o}'
