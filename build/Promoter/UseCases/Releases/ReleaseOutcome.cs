using Promoter.Promotion;
using Promoter.Promotion.Engine;

namespace Promoter.Releases;

/// <summary>What a release did.</summary>
/// <param name="Built">The images built.</param>
/// <param name="Staged">The images in staging with their digests (empty for a build-only run).</param>
/// <param name="Manifest">The production promoter manifest written, or null for a build-only run.</param>
/// <param name="Promotion">The promotion's plan and counts, or null for a build-only run.</param>
public sealed record ReleaseOutcome(
    IReadOnlyList<BuiltReleaseImage> Built,
    IReadOnlyList<StagedReleaseImage> Staged,
    PromoterManifest? Manifest,
    PromotionOutcome? Promotion);
