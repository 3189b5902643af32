using System.Net;
using Promoter.Oci;

namespace Promoter.Registry;

/// <summary>
/// Checks that a registry serves a blob or manifest correctly, cheaply (one HEAD, length compared with the descriptor)
/// or deeply (the GET body hashed). Used to detect what a crash of the registry left behind, before the content is
/// relied on and after it is written again. See <c>Registry/README.md</c>, "Repair".
/// </summary>
public static class ServedContent
{
    /// <summary>sha256 of no bytes: the one blob whose data may legitimately be 0 bytes long.</summary>
    public static readonly Digest EmptyDigest = Digest.Of([]);

    /// <summary>
    /// One HEAD of blob <paramref name="digest"/>: <see cref="ServedState.Served"/> when 200 with
    /// <paramref name="size"/> bytes (any length but 0 when the size is unknown, unless the digest is that of no bytes),
    /// <see cref="ServedState.Missing"/> on 404, <see cref="ServedState.Broken"/> on a 5xx (after the client's retries)
    /// or another length.
    /// </summary>
    /// <param name="client">The registry.</param>
    /// <param name="repository">The repository path.</param>
    /// <param name="digest">The blob's digest.</param>
    /// <param name="size">The descriptor's size in bytes, or -1 when unknown.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="RegistryException">Any other failure (401, 403, connection refused).</exception>
    public static async Task<ServedCheck> HeadBlobAsync(RegistryClient client, string repository, Digest digest, long size,
        CancellationToken cancellationToken = default)
    {
        long? length;
        try
        {
            length = await client.HeadBlobAsync(repository, digest, cancellationToken);
        }
        catch (RegistryException e) when (IsServerError(e))
        {
            return ServedCheck.Broken($"HEAD answers {Status(e)}");
        }
        if (length is not { } n) return ServedCheck.Missing;
        if (size >= 0 && n != size) return ServedCheck.Broken($"HEAD answers 200 with {n} byte(s), the descriptor says {size}");
        if (size < 0 && n == 0 && digest != EmptyDigest) return ServedCheck.Broken("HEAD answers 200 with 0 bytes");
        return ServedCheck.Served;
    }

    /// <summary>
    /// A HEAD (as <see cref="HeadBlobAsync"/>), then, when it passes, a GET whose body must number
    /// <paramref name="size"/> bytes and hash to <paramref name="digest"/>.
    /// </summary>
    /// <param name="client">The registry.</param>
    /// <param name="repository">The repository path.</param>
    /// <param name="digest">The blob's digest.</param>
    /// <param name="size">The descriptor's size in bytes, or -1 when unknown.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <exception cref="RegistryException">A failure other than a 5xx, a wrong length or a wrong digest.</exception>
    public static async Task<ServedCheck> GetBlobAsync(RegistryClient client, string repository, Digest digest, long size,
        CancellationToken cancellationToken = default)
    {
        var head = await HeadBlobAsync(client, repository, digest, size, cancellationToken);
        if (head.State != ServedState.Served) return head;
        try
        {
            await using var stream = await client.GetBlobAsync(repository, digest, cancellationToken);
            var buffer = new byte[81920];
            long read = 0;
            int n;
            while ((n = await stream.ReadAsync(buffer, cancellationToken)) > 0) read += n;
            return size >= 0 && read != size
                ? ServedCheck.Broken($"GET serves {read} byte(s), the descriptor says {size}")
                : ServedCheck.Served;
        }
        catch (RegistryException e) when (IsServerError(e))
        {
            return ServedCheck.Broken($"GET answers {Status(e)}");
        }
        catch (RegistryException e) when (e.StatusCode is null && e.Message.Contains("digest mismatch", StringComparison.Ordinal))
        {
            return ServedCheck.Broken("GET serves bytes that hash to another digest");
        }
        catch (RegistryException e) when (e.StatusCode is null && e.Message.Contains("bytes, expected", StringComparison.Ordinal))
        {
            return ServedCheck.Broken("GET serves fewer or more bytes than its Content-Length");
        }
        catch (RegistryException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return ServedCheck.Missing;
        }
    }

    /// <summary>
    /// One HEAD of <paramref name="reference"/> (a tag or digest): <see cref="ServedState.Served"/> with the digest it
    /// names, <see cref="ServedState.Missing"/> on 404, <see cref="ServedState.Broken"/> on a 5xx (after the client's retries).
    /// </summary>
    /// <param name="client">The registry.</param>
    /// <param name="repository">The repository path.</param>
    /// <param name="reference">A tag or digest.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="RegistryException">Any other failure.</exception>
    public static async Task<(ServedCheck Check, Digest? Found)> HeadManifestAsync(RegistryClient client, string repository, string reference,
        CancellationToken cancellationToken)
    {
        try
        {
            var info = await client.HeadManifestAsync(repository, reference, cancellationToken);
            return info is null ? (ServedCheck.Missing, null) : (ServedCheck.Served, info.Digest);
        }
        catch (RegistryException e) when (IsServerError(e))
        {
            return (ServedCheck.Broken($"HEAD answers {Status(e)}"), null);
        }
    }

    /// <summary>
    /// A GET of manifest <paramref name="digest"/> by digest, whose bytes must hash to it:
    /// <see cref="ServedState.Served"/> with the content, <see cref="ServedState.Missing"/> on 404,
    /// <see cref="ServedState.Broken"/> on a 5xx or a digest mismatch.
    /// </summary>
    /// <param name="client">The registry.</param>
    /// <param name="repository">The repository path.</param>
    /// <param name="digest">The manifest's digest.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="RegistryException">Any other failure (401, 403, connection refused).</exception>
    public static async Task<(ServedCheck Check, ManifestContent? Content)> GetManifestAsync(RegistryClient client, string repository, Digest digest,
        CancellationToken cancellationToken = default)
    {
        try
        {
            return (ServedCheck.Served, await client.GetManifestAsync(repository, digest.Value, cancellationToken));
        }
        catch (RegistryException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return (ServedCheck.Missing, null);
        }
        catch (RegistryException e) when (IsServerError(e))
        {
            return (ServedCheck.Broken($"GET answers {Status(e)}"), null);
        }
        catch (RegistryException e) when (e.Message.Contains("digest mismatch", StringComparison.Ordinal))
        {
            return (ServedCheck.Broken("GET serves bytes that hash to another digest"), null);
        }
    }

    /// <summary>A 5xx answer (after the client's retries): the registry holds the content but cannot read it.</summary>
    internal static bool IsServerError(RegistryException e) => e.StatusCode is { } status && (int)status >= 500;

    private static string Status(RegistryException e)
    {
        var codes = e.Errors.Count > 0 ? " (" + string.Join(", ", e.Errors.Select(x => x.Code)) + ")" : "";
        return $"{(int)e.StatusCode!.Value}{codes}";
    }
}
