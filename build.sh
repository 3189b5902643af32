#!/usr/bin/env bash
# Bootstrap of the build program (build/Build): starts its compiled form directly, and rebuilds it
# first only when a source file of it changed. All arguments go to the program; its exit code is ours.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$root/.build/bin"
stamp="$root/.build/sources.sha256"
program="$out/Build.dll"

# The fingerprint of every file the build program is compiled from (paths and contents).
fingerprint() {
  (cd "$root" && find build global.json Directory.Build.props Directory.Packages.props -type f \
      \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.json' \) \
      -not -path '*/bin/*' -not -path '*/obj/*' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum)
}

# The local registries the pipeline starts are CNCF Distribution (Debian package docker-registry).
if ! command -v docker-registry >/dev/null && ! command -v registry >/dev/null; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "build.sh: installing docker-registry (CNCF Distribution) for the local registries" >&2
    { apt-get install -y -q docker-registry || { apt-get update -q && apt-get install -y -q docker-registry; }; } >&2
  else
    echo "build.sh: docker-registry is missing; tasks that start a local registry need: sudo apt-get install -y docker-registry" >&2
  fi
fi

current="$(fingerprint)"
if [[ ! -f "$program" || ! -f "$stamp" || "$(cat "$stamp")" != "$current" ]]; then
  echo "build.sh: compiling the build program" >&2
  rm -f "$stamp"
  # Published ReadyToRun for this machine's runtime identifier: precompiled code starts about 0.1 s faster.
  rid="$(dotnet --info | awk '/^ *RID:/ {print $2; exit}')"
  dotnet publish "$root/build/Build/Build.csproj" --configuration Release --runtime "$rid" --self-contained false \
    -p:PublishReadyToRun=true --output "$out" --nologo --verbosity quiet >&2
  echo "$current" > "$stamp"
fi

cd "$root"
exec dotnet "$program" "$@"
