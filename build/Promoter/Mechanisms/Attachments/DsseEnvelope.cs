namespace Promoter.Attachments;

/// <summary>A parsed DSSE envelope (secure-systems-lab/dsse <c>envelope.md</c>).</summary>
/// <param name="PayloadType">The <c>payloadType</c>, e.g. <c>application/vnd.in-toto+json</c>.</param>
/// <param name="Payload">The decoded <c>payload</c> bytes (the in-toto statement).</param>
/// <param name="Signatures">The signatures, in order.</param>
public sealed record DsseEnvelope(string PayloadType, byte[] Payload, IReadOnlyList<DsseSignature> Signatures)
{
    /// <summary>The bytes every signature of this envelope covers: <see cref="Dsse.Pae"/> of the type and payload.</summary>
    public byte[] SignedBytes => Dsse.Pae(PayloadType, Payload);
}
