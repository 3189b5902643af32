using Promoter.Oci;

namespace Promoter.Attachments;

/// <summary>
/// What one signed attestation (a DSSE envelope from a cosign <c>.att</c> layer or a sigstore bundle referrer) says, as far
/// as the promotion's rules need it. Made by <see cref="Provenance.Evidence"/>; judged by the pure rules
/// (<c>AttachmentRules.HasPromotionRecord</c>, <c>AttachmentRules.ProvenanceProblem</c>).
/// </summary>
/// <param name="Location">Where it was found, for messages (e.g. <c>stage/img:sha256-….att layer sha256:…</c>).</param>
/// <param name="PredicateType">The statement's <c>predicateType</c> (empty when the payload is not a statement).</param>
/// <param name="SignedByKey">A signature of the envelope verifies over its PAE with the key asked about.</param>
/// <param name="Subjects">The sha256 digests of the statement's <c>subject</c> entries.</param>
public sealed record AttestationEvidence(string Location, string PredicateType, bool SignedByKey, IReadOnlyList<Digest> Subjects)
{
    /// <summary>SLSA provenance v1: <c>predicate.runDetails.builder.id</c>.</summary>
    public string? BuilderId { get; init; }

    /// <summary>SLSA provenance v1: the repositories it names as source (<c>buildDefinition.resolvedDependencies[].uri</c>,
    /// <c>externalParameters.workflow.repository</c>, <c>externalParameters.repository</c>), as written.</summary>
    public IReadOnlyList<string> SourceRepositories { get; init; } = [];

    /// <summary>A promotion record: <c>predicate.dstRef</c>.</summary>
    public string? DestinationReference { get; init; }

    /// <summary>Why the attestation could not be read (then nothing else is known); null when it was read.</summary>
    public string? Unreadable { get; init; }
}
