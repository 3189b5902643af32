#!/usr/bin/env bash
# Runs both samples against the packages the Pack task wrote to .build/packages (run ./build.sh --target Pack first):
# samples/cake-script/build.cake with Cake.Tool 7.0.0 (the repository's local tool), then the Frosting-style program
# samples/frosting. Each pushes the golden set into a local registry, promotes it into another with PromoteImages and
# checks the result with skopeo. Needs docker-registry and skopeo. The addin is installed afresh each time (the folders
# it was installed into before are removed), so a pack of the same version again is what runs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ls .build/packages/Cake.ImagePromoter.*.nupkg .build/packages/ImagePromoter.Core.*.nupkg >/dev/null
rm -rf samples/cake-script/tools samples/frosting/obj samples/frosting/bin
dotnet tool restore
dotnet cake samples/cake-script/build.cake
dotnet run --project samples/frosting
