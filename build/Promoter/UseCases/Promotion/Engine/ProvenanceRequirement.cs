using Promoter.Attachments;

namespace Promoter.Promotion.Engine;

/// <summary>What <c>--require-provenance</c> asks of each source digest.</summary>
/// <param name="Key">The key the SLSA provenance must be signed with.</param>
/// <param name="Mode">Whether missing provenance refuses.</param>
/// <param name="BuilderId">The builder it must name (<c>runDetails.builder.id</c>; without an <c>@</c>, any ref of it); null for any.</param>
/// <param name="SourceRepository">A source repository it must name; null for any.</param>
public sealed record ProvenanceRequirement(SignatureVerifier Key, ProvenanceMode Mode = ProvenanceMode.Require, string? BuilderId = null,
    string? SourceRepository = null);
