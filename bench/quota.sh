#!/usr/bin/env bash
# Quota domains: a promotion of IMAGES images from a source Distribution (127.0.0.1) into six Distributions on
# 127.0.0.2 ... 127.0.0.7, each reached only through a FaultProxy on its own address, the six proxies sharing ONE quota
# of CAP requests per second (429 with Retry-After: 1 beyond it), as the regional hosts of one Google project share its
# quota. Two modes, each on fresh repositories: per-host limiting (--max-requests-per-second=CAP, every host its own
# domain) and one quota domain of CAP over the six hosts (a --quota-domains file). Prints, side by side: the requests
# the six proxies saw, their 429s, the aggregate peak (requests at all six in any 1 s window, from the proxies'
# recorded arrival times on one clock) and the total time of plan and execution.
# It runs tests/Promoter.Tests' QuotaDomainTests (the engine's planner, executor and transport against the real
# registries and proxies), which appends one line per mode to the figures file; it asserts 429s per host, none per domain
# and the peak at or under the cap.
# Needs docker-registry (apt-get install docker-registry) and Linux (all of 127/8 on the loopback interface).
# Usage: bench/quota.sh [IMAGES] [CAP]   (default 3 30; RUNS=1)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
images="${1:-3}"; cap="${2:-30}"; runs="${RUNS:-1}"
cd "$root"
dotnet build tests/Promoter.Tests -c Release -v quiet -nologo >/dev/null
figures="$(mktemp)"
trap 'rm -f "$figures"' EXIT
for _ in $(seq "$runs"); do
  QUOTA_IMAGES="$images" QUOTA_CAP="$cap" QUOTA_FIGURES="$figures" \
    dotnet test tests/Promoter.Tests -c Release --no-build -v quiet -nologo \
    --filter "FullyQualifiedName~Promoter.Tests.Registry.QuotaDomainTests" >/dev/null \
    || { echo "the quota domain test failed: run it with --logger 'console;verbosity=detailed' to see why" >&2; exit 1; }
done
echo "== $images image(s) into 6 hosts sharing one quota of $cap/s; --max-requests-per-second=$cap; $runs run(s)"
printf '%-11s %9s %6s %20s %12s\n' mode requests 429s "aggregate peak /1 s" "total time"
sort -s -k1,1 "$figures" | awk -F'\t' '{printf "%-11s %9d %6d %20s %10.2f s\n", $1, $4, $5, $6 " (cap " $3 ")", $7}'
