using System.Text.Json;
using Promoter.Attachments;
using Promoter.Oci;
using Promoter.Promotion;
using Promoter.Registry;

namespace Promoter.E2E;

/// <summary>
/// Audits the attachments of every image digest under a registry path (e2e key <c>verify-signatures</c>): a digest is an
/// image digest unless it carries an attachment tag (<c>sha256-&lt;hex&gt;.sig|.att|.sbom</c>, <c>sha256-&lt;hex&gt;</c>)
/// or a referrers index of its repository lists it. Every image digest must have a <c>.sig</c> whose every layer's
/// signature verifies (through <see cref="ExternalSignatureCheck"/>, not the project's verifier) over a simple-signing
/// payload naming the digest, a <c>.att</c> whose every DSSE signature verifies over the PAE of an in-toto statement
/// naming the digest, and a <c>sha256-&lt;hex&gt;</c> referrers index whose every entry is a manifest with that
/// <c>subject</c>. Reads over the registry API only.
/// </summary>
public static class AttachmentAudit
{
    /// <summary>Audits <paramref name="registryName"/> as <paramref name="snapshot"/> (its actual snapshot) lists it.</summary>
    /// <exception cref="RegistryException">A read failed (other than a missing attachment, which is a problem, not an error).</exception>
    /// <param name="pool">The clients of the registries.</param>
    /// <param name="registryName">The registry (host and path prefix) audited.</param>
    /// <param name="snapshot">Its snapshot: every image digest and tag it holds.</param>
    /// <param name="publicKeyFile">The public key the <c>.sig</c> and <c>.att</c> signatures must verify with (PEM).</param>
    /// <param name="check">Verifies a signature with a tool other than the project's verifier (openssl).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <param name="recordKeyFile">The public key of the run's signing key (<c>--sign</c>): then every image digest must have
    /// exactly one promotion record of it for this destination, <c>.sig</c> layers may be signed by it too, and one record
    /// per destination, tampered, must be rejected.</param>
    public static async Task<AttachmentAuditResult> RunAsync(RegistryPool pool, string registryName, Snapshot snapshot, string publicKeyFile,
        ExternalSignatureCheck check, CancellationToken cancellationToken = default, string? recordKeyFile = null)
    {
        var runMade = new HashSet<string>(StringComparer.Ordinal);
        int records = 0;
        string? tamperedRecord = null;
        var path = RegistryPath.Parse(registryName);
        var client = pool.For(path.Host);
        var problems = new List<string>();
        int digests = 0, signatures = 0, attestations = 0, referrers = 0;
        (byte[] Payload, byte[] Signature, Digest Subject)? sample = null;
        foreach (var image in snapshot.Images)
        {
            var repository = path.RepositoryFor(image.Name);
            var tags = image.Dmap.SelectMany(d => d.Tags.Select(t => (Tag: t, d.Digest))).ToDictionary(x => x.Tag, x => x.Digest, StringComparer.Ordinal);
            var listed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (tag, digest) in tags)
                if (AttachmentTags.TryParse(tag, out _, out var kind) && kind == AttachmentKind.ReferrersIndex)
                    foreach (var entry in AttachmentManifests.ReadIndex(await client.GetManifestAsync(repository, digest, cancellationToken), $"{repository}:{tag}"))
                        listed.Add(entry.Digest.Value);
            var subjects = image.Dmap.Where(d => !listed.Contains(d.Digest) && !d.Tags.Any(t => AttachmentTags.TryParse(t, out _, out _)))
                .Select(d => Digest.Parse(d.Digest)).ToList();
            foreach (var subject in subjects)
            {
                digests++;
                var where = $"{repository}@{subject}";
                bool Has(AttachmentKind kind)
                {
                    if (tags.ContainsKey(AttachmentTags.For(subject, kind))) return true;
                    problems.Add($"{where}: no {AttachmentTags.For(subject, kind)}");
                    return false;
                }

                if (Has(AttachmentKind.Signature))
                {
                    var tag = AttachmentTags.For(subject, AttachmentKind.Signature);
                    var layers = AttachmentManifests.ReadLayers(await client.GetManifestAsync(repository, tag, cancellationToken), $"{repository}:{tag}");
                    if (layers.Count == 0) problems.Add($"{where}: {tag} has no layer");
                    foreach (var layer in layers)
                    {
                        var payload = await BlobAsync(client, repository, layer.Digest, cancellationToken);
                        var named = SimpleSigningPayload.Parse(payload, $"{repository}@{layer.Digest}").ManifestDigest;
                        if (named != subject) { problems.Add($"{where}: {tag} layer {layer.Digest} signs {named}"); continue; }
                        var der = Der(layer.Annotations.GetValueOrDefault(AttachmentManifests.SignatureAnnotation));
                        var byRunKey = der is not null && recordKeyFile is not null && !await check(publicKeyFile, payload, der, cancellationToken)
                                       && await check(recordKeyFile, payload, der, cancellationToken);
                        if (byRunKey) runMade.Add(tags[tag]);
                        if (der is null || (!byRunKey && !await check(publicKeyFile, payload, der, cancellationToken)))
                            problems.Add($"{where}: the signature of {tag} layer {layer.Digest} does not verify with {Path.GetFileName(publicKeyFile)}" +
                                         (recordKeyFile is null ? "" : " nor with the run's signing key"));
                        else
                        {
                            signatures++;
                            sample ??= (payload, der, subject);
                        }
                    }
                }

                if (Has(AttachmentKind.Attestation))
                {
                    var tag = AttachmentTags.For(subject, AttachmentKind.Attestation);
                    var layers = AttachmentManifests.ReadLayers(await client.GetManifestAsync(repository, tag, cancellationToken), $"{repository}:{tag}");
                    if (layers.Count == 0) problems.Add($"{where}: {tag} has no layer");
                    foreach (var layer in layers)
                    {
                        if (layer.MediaType != Dsse.EnvelopeMediaType) { problems.Add($"{where}: {tag} layer {layer.Digest} is {layer.MediaType}, not a DSSE envelope"); continue; }
                        var envelope = Dsse.Parse(await BlobAsync(client, repository, layer.Digest, cancellationToken), $"{repository}@{layer.Digest}");
                        if (!Dsse.StatementSubjects(envelope.Payload, $"{repository}@{layer.Digest} statement").Contains(subject))
                        {
                            problems.Add($"{where}: the statement of {tag} layer {layer.Digest} does not name the digest");
                            continue;
                        }
                        if (envelope.Signatures.Count == 0) problems.Add($"{where}: {tag} layer {layer.Digest} holds no signature");
                        foreach (var signature in envelope.Signatures)
                        {
                            var der = Der(signature.SignatureBase64);
                            if (der is null || !await check(publicKeyFile, envelope.SignedBytes, der, cancellationToken))
                                problems.Add($"{where}: a DSSE signature of {tag} layer {layer.Digest} does not verify with {Path.GetFileName(publicKeyFile)}");
                            else attestations++;
                        }
                    }
                }

                if (Has(AttachmentKind.ReferrersIndex))
                {
                    var tag = AttachmentTags.For(subject, AttachmentKind.ReferrersIndex);
                    var entries = AttachmentManifests.ReadIndex(await client.GetManifestAsync(repository, tag, cancellationToken), $"{repository}:{tag}");
                    if (entries.Count == 0) problems.Add($"{where}: {tag} lists no referrer");
                    var recordsOfDigest = 0;
                    foreach (var entry in entries)
                    {
                        var referrer = await client.GetManifestAsync(repository, entry.Digest.Value, cancellationToken);
                        if (recordKeyFile is not null && Provenance.Describe(entry).PredicateType == Provenance.PromotionPredicateType)
                        {
                            var destination = $"{registryName}/{image.Name}@{subject}";
                            foreach (var layer in Provenance.BundleLayers(referrer, $"{repository}@{entry.Digest}"))
                            {
                                var (envelope, _) = Provenance.ReadBundle(await BlobAsync(client, repository, layer.Digest, cancellationToken), $"{repository}@{layer.Digest}");
                                var evidence = Provenance.Evidence(envelope, SignatureVerifierNone, $"{repository}@{entry.Digest}");
                                var recordSignatures = envelope.Signatures.Select(x => Der(x.SignatureBase64)).OfType<byte[]>().ToList();
                                var verified = false;
                                foreach (var der in recordSignatures) verified |= await check(recordKeyFile, envelope.SignedBytes, der, cancellationToken);
                                if (!verified) { problems.Add($"{where}: promotion record {entry.Digest} does not verify with the run's signing key"); continue; }
                                if (!evidence.Subjects.Contains(subject) || evidence.DestinationReference != destination)
                                {
                                    problems.Add($"{where}: promotion record {entry.Digest} names {string.Join(", ", evidence.Subjects)} in {evidence.DestinationReference}, not {destination}");
                                    continue;
                                }
                                records++;
                                recordsOfDigest++;
                                runMade.Add(entry.Digest.Value);
                                runMade.Add(tags[tag]);
                                if (tamperedRecord is null)
                                {
                                    // One byte of the statement's digest changed: openssl must refuse the record's signature.
                                    var tampered = (byte[])envelope.Payload.Clone();
                                    var at = tampered.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(subject.Hex));
                                    tampered[at] = tampered[at] == (byte)'0' ? (byte)'1' : (byte)'0';
                                    var rejected = true;
                                    foreach (var der in recordSignatures) rejected &= !await check(recordKeyFile, Dsse.Pae(envelope.PayloadType, tampered), der, cancellationToken);
                                    if (rejected) tamperedRecord = destination;
                                    else problems.Add($"{destination}: a tampered promotion record still verified: the check is not checking");
                                }
                            }
                            continue;
                        }
                        string? named;
                        try
                        {
                            using var json = JsonDocument.Parse(referrer.Bytes);
                            named = json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("subject", out var s)
                                    && s.ValueKind == JsonValueKind.Object && s.TryGetProperty("digest", out var d) && d.ValueKind == JsonValueKind.String
                                ? d.GetString() : null;
                        }
                        catch (JsonException) { named = null; }
                        if (named != subject.Value) problems.Add($"{where}: referrer {entry.Digest} has subject {named ?? "(none)"}");
                        else referrers++;
                    }
                    if (recordKeyFile is not null && recordsOfDigest != 1)
                        problems.Add($"{where}: {recordsOfDigest} promotion record(s) of the run's signing key, not one");
                }
            }
        }

        var tamperedRejected = false;
        if (sample is { } s1)
        {
            // Change one character of the signed digest in the payload: the external check must now refuse the signature.
            var tampered = (byte[])s1.Payload.Clone();
            var at = tampered.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(s1.Subject.Hex));
            tampered[at] = tampered[at] == (byte)'0' ? (byte)'1' : (byte)'0';
            tamperedRejected = !await check(publicKeyFile, tampered, s1.Signature, cancellationToken);
            if (!tamperedRejected) problems.Add($"{registryName}: a tampered payload still verified: the check is not checking");
        }
        if (digests == 0) problems.Add($"{registryName}: no image digest to audit");
        if (recordKeyFile is not null && tamperedRecord is null && records > 0) problems.Add($"{registryName}: no tampered promotion record was rejected");
        return new AttachmentAuditResult(registryName, digests, signatures, attestations, referrers, tamperedRejected, problems)
        {
            Records = records, TamperedRecordRejected = tamperedRecord, RunMade = runMade,
        };
    }

    /// <summary>A key no record is signed with: the audit reads statements through <see cref="Provenance.Evidence"/> for their
    /// fields only; signatures are checked by the external check (openssl), never by the project's verifier.</summary>
    private static readonly SignatureVerifier SignatureVerifierNone =
        SignatureVerifier.FromKey(System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256), "the audit's unused key");

    private static byte[]? Der(string? base64)
    {
        if (string.IsNullOrEmpty(base64)) return null;
        try { return Convert.FromBase64String(base64); }
        catch (FormatException) { return null; }
    }

    private static async Task<byte[]> BlobAsync(RegistryClient client, string repository, Digest digest, CancellationToken cancellationToken)
    {
        await using var stream = await client.GetBlobAsync(repository, digest, cancellationToken);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        var bytes = buffer.ToArray();
        return Digest.Of(bytes) == digest ? bytes
            : throw new RegistryException($"{client.Host}/{repository}: blob {digest} does not hash to its digest.");
    }
}
