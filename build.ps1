#!/usr/bin/env pwsh
# Bootstrap of the build program (build/Build): starts its compiled form directly, and rebuilds it
# first only when a source file of it changed. All arguments go to the program; its exit code is ours.
$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$out = Join-Path $root '.build/bin'
$stamp = Join-Path $root '.build/sources.sha256'
$program = Join-Path $out 'Build.dll'

# The fingerprint of every file the build program is compiled from (paths and contents).
function Get-Fingerprint {
  Push-Location $root; try {
    $files = @('build', 'global.json', 'Directory.Build.props', 'Directory.Packages.props') | Get-ChildItem -Recurse -File |
      Where-Object { $_.Extension -in '.cs', '.csproj', '.props', '.json' -and $_.FullName -notmatch '[\\/](bin|obj)[\\/]' } |
      Sort-Object { [System.IO.Path]::GetRelativePath($root, $_.FullName) } -Culture 'invariant'
    $lines = $files | ForEach-Object { "$((Get-FileHash $_ -Algorithm SHA256).Hash.ToLower())  $([System.IO.Path]::GetRelativePath($root, $_.FullName))" }
    return (Get-FileHash -InputStream ([IO.MemoryStream]::new([Text.Encoding]::UTF8.GetBytes(($lines -join "`n") + "`n"))) -Algorithm SHA256).Hash.ToLower()
  } finally { Pop-Location }
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
if (-not (Test-Path $program) -or -not (Test-Path $stamp) -or ((Get-Content $stamp -Raw).Trim() -ne $current)) {
  Write-Host 'build.ps1: compiling the build program'
  Remove-Item $stamp -ErrorAction Ignore
  # Published ReadyToRun for this machine's runtime identifier: precompiled code starts about 0.1 s faster.
  $rid = [System.Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
  dotnet publish (Join-Path $root 'build/Build/Build.csproj') --configuration Release --runtime $rid --self-contained false `
    -p:PublishReadyToRun=true --output $out --nologo --verbosity quiet
  if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
  Set-Content $stamp $current
}

Set-Location $root
dotnet $program @args
exit $LASTEXITCODE
