#!/usr/bin/env bash
# The reference the E2E benchmark is measured against: upstream CIP's way with stock tools only. On a fresh CNCF
# Distribution registry on loopback it docker-loads upstream's four golden archives, pushes the tagged ones with
# `docker push`, builds golden-foo/foo:1.0 with `docker manifest create/annotate --arch=s390x/push`, then copies the four
# tagged references into three destination prefixes with `skopeo copy --all --preserve-digests` (digests unchanged).
# Prints "reference flow: <seconds> s" (wall time of those steps; registry start-up not counted).
# Needs dockerd, docker-registry, skopeo. Usage: bench/reference-flow.sh [GOLDEN_DIR]   (default images/golden/upstream)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
golden="${1:-$root/images/golden/upstream}"
work="$(mktemp -d)"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
printf 'version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: %s/storage\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:%s\n' \
  "$work" "$port" >"$work/config.yml"
docker-registry serve "$work/config.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
cleanup() { kill "$registry_pid" 2>/dev/null || true; wait "$registry_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
until curl -fs "http://127.0.0.1:$port/v2/" >/dev/null; do sleep 0.05; done

staging="127.0.0.1:$port/k8s-staging-cip-test"
upstream="gcr.io/k8s-staging-cip-test"
tagged=(golden-bar/bar:1.0 golden-foo/foo:1.0-linux_amd64 golden-foo/foo:1.0-linux_s390x)
for ref in "${tagged[@]}" golden-foo/foo:NOTAG-0; do docker rmi -f "$upstream/$ref" "$staging/$ref" >/dev/null 2>&1 || true; done

start="$(date +%s.%N)"
for archive in bar/1.0 foo/1.0-linux_amd64 foo/1.0-linux_s390x foo/NOTAG-0; do
  docker load --quiet --input "$golden/archives/$archive.tar" >/dev/null
done
for ref in "${tagged[@]}" golden-foo/foo:NOTAG-0; do
  docker tag "$upstream/$ref" "$staging/$ref"
  docker push --quiet "$staging/$ref" >/dev/null
done
list="$staging/golden-foo/foo:1.0"
docker manifest rm "$list" >/dev/null 2>&1 || true
docker manifest create --insecure "$list" "$staging/golden-foo/foo:1.0-linux_amd64" "$staging/golden-foo/foo:1.0-linux_s390x" >/dev/null
docker manifest annotate --arch=s390x "$list" "$staging/golden-foo/foo:1.0-linux_s390x"
docker manifest push --insecure --purge "$list" >/dev/null
for destination in us eu asia; do
  for ref in "${tagged[@]}" golden-foo/foo:1.0; do
    skopeo copy --quiet --all --preserve-digests --src-tls-verify=false --dest-tls-verify=false \
      "docker://$staging/$ref" "docker://127.0.0.1:$port/$destination-prod/$ref"
  done
done
end="$(date +%s.%N)"
awk -v a="$start" -v b="$end" 'BEGIN { printf "reference flow: %.2f s\n", b - a }'
