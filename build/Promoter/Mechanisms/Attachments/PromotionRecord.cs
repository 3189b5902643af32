namespace Promoter.Attachments;

/// <summary>A promotion record ready to write: the referrer manifest (and its config) and its referrers index entry.</summary>
/// <param name="Built">The OCI manifest (<c>artifactType</c> the sigstore bundle, <c>subject</c> the promoted digest) and the empty config.</param>
/// <param name="Bundle">The sigstore bundle blob (the manifest's one layer).</param>
/// <param name="Entry">The descriptor a referrers index lists it by (artifactType and annotations included, as the spec asks).</param>
/// <param name="Statement">The in-toto statement the bundle's DSSE envelope carries.</param>
public sealed record PromotionRecord(BuiltManifest Built, byte[] Bundle, ReferrerEntry Entry, byte[] Statement);
