using Promoter.Oci;

namespace Promoter.Registry;

/// <summary>
/// The one way a manifest is written under a tag or its digest and confirmed: an optional guard HEAD
/// (<see cref="ManifestPutGuard"/>), the PUT (robust to a concurrent writer of the same manifest), then the read-back:
/// a tag by one HEAD that must give the digest written, and the manifest by a GET by digest whose bytes must hash to it
/// (for a put by digest that GET alone). A tag that another writer moved meanwhile - before the
/// put (the guard) or between the put and the read-back - is a failure naming both digests. See <c>Registry/README.md</c>.
/// </summary>
public static class ManifestWriter
{
    /// <summary>Puts <paramref name="manifest"/> under <paramref name="reference"/> and reads it back.</summary>
    /// <param name="client">The registry to write to.</param>
    /// <param name="repository">The repository path.</param>
    /// <param name="reference">A tag, or the manifest's own digest.</param>
    /// <param name="manifest">The exact bytes, media type and digest to write.</param>
    /// <param name="guard">What the caller expects the reference to name before the put.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>Whether this call wrote the manifest or found it in place.</returns>
    /// <exception cref="RegistryException">The guard found the tag on another digest, the registry refused the put, or the
    /// read-back gave another digest or nothing; the message names the reference and both digests.</exception>
    public static Task<ManifestPutOutcome> PutAsync(RegistryClient client, string repository, string reference, ManifestContent manifest,
        ManifestPutGuard guard, CancellationToken cancellationToken = default) =>
        PutAsync(client, repository, reference, manifest.Digest, _ => Task.FromResult(manifest), guard, readBack: true, cancellationToken);

    /// <summary>
    /// As <see cref="PutAsync(RegistryClient,string,string,ManifestContent,ManifestPutGuard,CancellationToken)"/>, fetching the
    /// bytes with <paramref name="content"/> only when they are to be put (not when the guard finds the digest in place).
    /// </summary>
    /// <param name="client">The registry to write to.</param>
    /// <param name="repository">The repository path.</param>
    /// <param name="reference">A tag, or <paramref name="digest"/> itself.</param>
    /// <param name="digest">The digest the reference must name afterwards.</param>
    /// <param name="content">Gives the manifest's bytes (which must hash to <paramref name="digest"/>).</param>
    /// <param name="guard">What the caller expects the reference to name before the put.</param>
    /// <param name="readBack">False when the caller reads a written tag back later itself (<see cref="ReadBackAsync"/>),
    /// e.g. once all of a run's tags are written, so that a competitor's put has had time to land.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>Whether this call wrote the manifest or found it in place.</returns>
    /// <exception cref="RegistryException">As the other overload; also when the bytes do not hash to <paramref name="digest"/>.</exception>
    public static async Task<ManifestPutOutcome> PutAsync(RegistryClient client, string repository, string reference, Digest digest,
        Func<CancellationToken, Task<ManifestContent>> content, ManifestPutGuard guard, bool readBack = true,
        CancellationToken cancellationToken = default)
    {
        var what = Describe(client, repository, reference);
        ServedCheck? broken = null;
        if (guard.Check)
        {
            var (check, before) = await ServedContent.HeadManifestAsync(client, repository, reference, cancellationToken);
            if (before == digest) return ManifestPutOutcome.AlreadyThere;
            if (check.State == ServedState.Broken)
            {
                // A link file a crash emptied: the registry lists the reference but cannot say what it names. A writer
                // without an expected digest may rewrite it; a guarded writer only when it expected the tag absent.
                if (!guard.MayOverwrite && guard.Expected is not null)
                    throw new RegistryException(
                        $"{what} is not served correctly ({check.Problem}); it was planned to point at {guard.Expected}, so {digest} " +
                        "was not written over it. Repair or delete the tag in the registry and run again.", what);
                broken = check;
            }
            else if (!guard.MayOverwrite && before != guard.Expected)
                throw new RegistryException(
                    $"{what} moved under the run: it points at {before}, not at {guard.Expected?.Value ?? "nothing"} as planned; " +
                    $"{digest} was not written there (another writer put the tag there meanwhile).", what);
        }

        var manifest = await content(cancellationToken);
        if (manifest.Digest != digest)
            throw new RegistryException($"{what}: the manifest to write is {manifest.Digest}, not {digest}.", what);
        var outcome = await ConcurrentWriter.WriteAsync(async () =>
            {
                await client.PutManifestAsync(repository, reference, manifest.Bytes, manifest.MediaType, cancellationToken);
                return ManifestPutOutcome.Written;
            },
            async () => (await ServedContent.HeadManifestAsync(client, repository, reference, cancellationToken)).Found == digest,
            ManifestPutOutcome.AlreadyThere, cancellationToken);
        if (readBack)
        {
            // A put by digest is read back by the GET that hashes it (a HEAD first would ask the same reference twice);
            // a tag by a HEAD, then its manifest by that GET.
            if (reference != digest.Value) await ReadBackAsync(client, repository, reference, digest, cancellationToken);
            await ConfirmServedAsync(client, repository, digest, cancellationToken);
        }
        if (broken is not null)
            client.ReportRepair($"repaired manifest {what} ({digest}): {broken.Problem}; put again{(readBack ? ", read back and served with the right digest" : "")}");
        return outcome;
    }

    /// <summary>
    /// The deep check of a manifest just written: a GET by digest whose bytes must hash to <paramref name="digest"/>.
    /// Distribution answers a put with 201 without rewriting a manifest's 0-byte data file a crash left behind; this
    /// catches it.
    /// </summary>
    /// <param name="client">The registry written to.</param>
    /// <param name="repository">The repository path.</param>
    /// <param name="digest">The manifest's digest.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="RegistryException">The registry does not serve the manifest by digest, or serves other bytes.</exception>
    public static async Task ConfirmServedAsync(RegistryClient client, string repository, Digest digest, CancellationToken cancellationToken = default)
    {
        // A concurrent writer of the same manifest rewrites its revision link in place: asked again a few times.
        await ConcurrentWriter.RetryAsync(async last =>
        {
            ServedCheck check;
            try
            {
                (check, _) = await ServedContent.GetManifestAsync(client, repository, digest, cancellationToken);
            }
            catch (RegistryException e) when (ConcurrentWriter.IsRace(e))
            {
                check = ServedCheck.Broken(e.Message);
            }
            if (check.State == ServedState.Served) return (true, true);
            if (!last) return (false, false);
            var what = $"{client.Host}/{repository}@{digest}";
            throw new RegistryException(
                $"{what}: the registry accepted the manifest but does not serve it ({check.Problem ?? "GET answers 404"}). {ZeroByteHint}", what);
        }, cancellationToken);
    }

    /// <summary>What an operator can do when Distribution keeps a damaged manifest data file (measured with Distribution 2.8).</summary>
    private const string ZeroByteHint =
        "If a crash left the manifest's data file empty in the registry's storage (docker/registry/v2/blobs/sha256/XX/HEX/data), " +
        "CNCF Distribution keeps that file on every put; it must be removed from the storage before the manifest can be written again.";

    /// <summary>
    /// Reads <paramref name="reference"/> back with one HEAD, which must name <paramref name="digest"/>, or with
    /// <paramref name="hashBytes"/> one GET whose bytes must hash to it. An answer of nothing (or a race code) while a
    /// concurrent writer rewrites the link is asked again, within a few attempts; another digest is final.
    /// </summary>
    /// <param name="client">The registry written to.</param>
    /// <param name="repository">The repository path.</param>
    /// <param name="reference">The tag or digest written.</param>
    /// <param name="digest">The digest written.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <param name="hashBytes">True when the put of <paramref name="reference"/> was the manifest's first write: the GET
    /// also proves the registry serves its bytes (Distribution answers a put with 201 and keeps a 0-byte data file a crash
    /// left), which a HEAD does not.</param>
    /// <exception cref="RegistryException">The tag names another digest ("moved under the run", naming both), or the
    /// registry does not serve the reference (or, with <paramref name="hashBytes"/>, serves other bytes).</exception>
    public static async Task ReadBackAsync(RegistryClient client, string repository, string reference, Digest digest,
        CancellationToken cancellationToken = default, bool hashBytes = false)
    {
        var what = Describe(client, repository, reference);
        await ConcurrentWriter.RetryAsync(async last =>
        {
            Digest? found;
            try
            {
                found = hashBytes
                    ? (await client.GetManifestAsync(repository, reference, cancellationToken)).Digest
                    : (await client.HeadManifestAsync(repository, reference, cancellationToken))?.Digest;
            }
            catch (RegistryException e) when (ConcurrentWriter.IsRace(e) || (hashBytes && IsUnserved(e)))
            {
                if (last)
                    throw new RegistryException(
                        $"{what}: the registry accepted {digest} but does not serve it when read back ({e.Message}). {ZeroByteHint}", what, e.StatusCode,
                        e.Errors, e);
                found = null;
            }
            if (found == digest) return (true, true);
            if (found is { } other)
                throw new RegistryException(
                    $"{what} moved under the run: reading it back after this run wrote {digest} gave {other} " +
                    "(another writer put the tag on that digest meanwhile).", what);
            if (last)
                throw new RegistryException($"{what}: the registry accepted {digest} but does not serve it when read back.", what);
            return (false, false);
        }, cancellationToken);
    }

    /// <summary>A GET answered with a 404, a 5xx or bytes that do not match the digest the registry reports.</summary>
    private static bool IsUnserved(RegistryException e) =>
        e.StatusCode is System.Net.HttpStatusCode.NotFound || ServedContent.IsServerError(e)
        || e.Message.Contains("digest mismatch", StringComparison.Ordinal);

    /// <summary><c>host/repo:tag</c> or <c>host/repo@sha256:...</c>, for messages.</summary>
    private static string Describe(RegistryClient client, string repository, string reference) =>
        $"{client.Host}/{repository}{(Digest.TryParse(reference, out _) ? "@" : ":")}{reference}";
}
