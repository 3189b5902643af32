#!/usr/bin/env bash
# The upstream-equivalent E2E (cases "sanity" and "recursive-thin", three destinations each) timed as the whole
# `./build.sh --target E2E` command - start-up and its own registries included - beside bench/reference-flow.sh, which
# pushes the same archives the upstream way (docker load/push/manifest + skopeo copy, on one registry), in the same run.
# Goals: docker engine no slower than the reference; oci engine at most a third of the reference's time.
# Usage: bench/e2e.sh [RUNS]   (default 3; the best run of each is reported)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
reference_flow="$root/bench/reference-flow.sh"
runs="${1:-3}"
cd "$root"
common=(--target E2E --golden=images/golden/upstream/golden.yaml --verbosity=quiet)
./build.sh --target Compile >/dev/null   # compile once, so the timed runs find everything up to date

images=(gcr.io/k8s-staging-cip-test/golden-bar/bar:1.0 gcr.io/k8s-staging-cip-test/golden-foo/foo:1.0-linux_amd64
        gcr.io/k8s-staging-cip-test/golden-foo/foo:1.0-linux_s390x gcr.io/k8s-staging-cip-test/golden-foo/foo:NOTAG-0)
best() { sort -n | head -1; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f\n", b-a}'; }
time_e2e() {
  local start end
  start=$(date +%s.%N)
  ./build.sh "${common[@]}" "$@" >/dev/null
  end=$(date +%s.%N)
  seconds "$start" "$end"
}

reference=$(for _ in $(seq "$runs"); do bash "$reference_flow" "$root/images/golden/upstream" | awk '{print $3}'; done | best)
docker_time=$(for _ in $(seq "$runs"); do docker rmi -f "${images[@]}" >/dev/null 2>&1 || true
  time_e2e --engine=docker --e2e-file=manifests/e2e/upstream/tests.yaml; done | best)
oci=$(for _ in $(seq "$runs"); do time_e2e --engine=oci --e2e-file=manifests/e2e/upstream-oci/tests.yaml; done | best)

echo "reference flow (docker + skopeo):  ${reference} s"
echo "./build.sh --target E2E (docker):  ${docker_time} s"
echo "./build.sh --target E2E (oci):     ${oci} s"
awk -v r="$reference" -v d="$docker_time" -v o="$oci" 'BEGIN{
  printf "docker/reference: %.2f (goal <= 1.00)\n", d/r
  printf "oci/reference:    %.2f (goal <= 0.33)\n", o/r }'
