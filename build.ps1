#!/usr/bin/env pwsh
# Bootstrap of the build program (build/Build): starts its compiled form directly, and rebuilds it
# first only when a file it is compiled from changed. All arguments go to the program; its exit code is ours.
$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$out = Join-Path $root '.build/bin'
$stamp = Join-Path $root '.build/sources.sha256'
# (build.sh keeps .build/sources.listing to skip hashing on a warm start; PowerShell's own start-up dwarfs the hashing.)
$program = Join-Path $out 'Build.dll'
Set-Location $root

# The files the build program is compiled from: the source files (.cs, .csproj, .props, .json) under build/ outside
# bin/ and obj/ folders, and these named files (VERSION is every assembly's version). Regular files only.
$named = @('global.json', 'Directory.Build.props', 'Directory.Packages.props', 'VERSION') | Where-Object { Test-Path $_ -PathType Leaf }
function Get-Sources {
  function Get-Under([IO.DirectoryInfo] $folder) {
    foreach ($entry in $folder.EnumerateFileSystemInfos()) {
      if ($entry.LinkTarget) { continue }
      if ($entry -is [IO.DirectoryInfo]) { if ($entry.Name -cnotin 'bin', 'obj') { Get-Under $entry } }
      elseif ($entry.Extension -cin '.cs', '.csproj', '.props', '.json') { [IO.Path]::GetRelativePath($root, $entry.FullName).Replace([IO.Path]::DirectorySeparatorChar, '/') }
    }
  }
  Get-Under ([IO.DirectoryInfo]::new((Join-Path $root 'build')))
  $named
}

# The fingerprint (build.sh computes the same text): sha256 of the lines "<sha256 of the file>  <path>", one per file,
# paths relative to the root with '/', sorted by their bytes, each line ending in LF. The stamp holds it and an LF.
function Get-Fingerprint {
  $utf8 = [Text.UTF8Encoding]::new($false)
  $paths = [string[]] @(Get-Sources)
  $bytes = [string[]] @($paths | ForEach-Object { [Convert]::ToHexString($utf8.GetBytes($_)) })
  [Array]::Sort($bytes, $paths, [StringComparer]::Ordinal)
  $text = -join ($paths | ForEach-Object {
    "$([Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([IO.File]::ReadAllBytes([IO.Path]::Join($root, $_)))).ToLowerInvariant())  $_`n" })
  return [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($utf8.GetBytes($text))).ToLowerInvariant()
}

# The local registries the pipeline starts are CNCF Distribution (Debian package docker-registry).
if (-not (Get-Command docker-registry -ErrorAction Ignore) -and -not (Get-Command registry -ErrorAction Ignore)) {
  if ($IsLinux -and ((id -u) -eq 0) -and (Get-Command apt-get -ErrorAction Ignore)) {
    Write-Host 'build.ps1: installing docker-registry (CNCF Distribution) for the local registries'
    apt-get install -y -q docker-registry; if ($LASTEXITCODE -ne 0) { apt-get update -q; apt-get install -y -q docker-registry }
  } else {
    Write-Host 'build.ps1: docker-registry is missing; tasks that start a local registry need: sudo apt-get install -y docker-registry'
  }
}

$current = Get-Fingerprint

$stamped = if (Test-Path $stamp -PathType Leaf) { ([IO.File]::ReadAllText($stamp) -split "`n")[0] } else { '' }
if (-not (Test-Path $program) -or $stamped -ne $current) {
  Write-Host 'build.ps1: compiling the build program'
  Remove-Item $stamp -ErrorAction Ignore
  # Published ReadyToRun for this machine's runtime identifier: precompiled code starts about 0.1 s faster.
  $rid = [System.Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
  dotnet publish (Join-Path $root 'build/Build/Build.csproj') --configuration Release --runtime $rid --self-contained false `
    -p:PublishReadyToRun=true --output $out --nologo --verbosity quiet
  if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
  [IO.File]::WriteAllText($stamp, "$current`n")
}

dotnet $program @args
exit $LASTEXITCODE
