#!/usr/bin/env bash
# Bootstrap of the build program (build/Build): starts its compiled form directly, and rebuilds it
# first only when a file it is compiled from changed. All arguments go to the program; its exit code is ours.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$root/.build/bin"
stamp="$root/.build/sources.sha256"
listed="$root/.build/sources.listing"
program="$out/Build.dll"
cd "$root"

# The files the build program is compiled from: the source files (.cs, .csproj, .props, .json) under build/ outside
# bin/ and obj/ folders, and these named files (VERSION is every assembly's version). Regular files only.
named=()
for file in global.json Directory.Build.props Directory.Packages.props VERSION; do [[ -f $file ]] && named+=("$file"); done
sources() {
  local only_named=()
  for file in "${named[@]}"; do only_named+=(-o -path "$file"); done
  find -H build "${named[@]}" -type d \( -name bin -o -name obj \) -prune -o -type f \
    \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.json' "${only_named[@]}" \) "$@"
}

# The fingerprint (build.ps1 computes the same text): sha256 of the lines "<sha256 of the file>  <path>", one per file,
# paths relative to the root with '/', sorted by their bytes, each line ending in LF. The stamp holds it and an LF.
fingerprint() {
  sources -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum --zero -- | tr '\0' '\n' | sha256sum | cut -d' ' -f1
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

# Hashing every file on each start was about a quarter of a warm start's CPU time. The listing (size, inode, mtime,
# ctime, path of each file) of the last hashing is kept with its fingerprint: an identical listing means identical
# contents, since every write sets a file's ctime to the clock, and nothing sets it to a chosen value. A listing is kept
# only when every ctime in it is over 2 s old (a second write in the clock tick of the first could leave the ctime as it
# was). build.sh is listed too, so a change of this script drops the kept listing.
printf -v now '%(%s)T' -1
listing="$(named+=(build.sh) && sources -printf '%s %i %T@ %C@ %p\n')"
current="" cached="" cached_listing=""
[[ -f $listed ]] && { IFS= read -r cached || true; IFS= read -r -d '' cached_listing || true; } < "$listed"
if [[ -n $cached && $cached_listing == "$listing"$'\n' ]]; then
  current="$cached"
else
  current="$(fingerprint)"
  rm -f "$listed"
  mkdir -p "$root/.build"
  if awk -v now="$now" '$4 >= now - 2 { exit 1 }' <<< "$listing"; then
    printf '%s\n%s\n' "$current" "$listing" > "$listed"
  fi
fi

stamped=""
[[ -f $stamp ]] && { IFS= read -r stamped < "$stamp" || true; }
if [[ ! -f "$program" || "$stamped" != "$current" ]]; then
  echo "build.sh: compiling the build program" >&2
  rm -f "$stamp"
  # Published ReadyToRun for this machine's runtime identifier: precompiled code starts about 0.1 s faster.
  rid="$(dotnet --info | awk '/^ *RID:/ {print $2; exit}')"
  dotnet publish "$root/build/Build/Build.csproj" --configuration Release --runtime "$rid" --self-contained false \
    -p:PublishReadyToRun=true --output "$out" --nologo --verbosity quiet >&2
  printf '%s\n' "$current" > "$stamp"
fi

exec dotnet "$program" "$@"
