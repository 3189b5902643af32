namespace Promoter.Registry;

/// <summary>Settings of a <see cref="RegistryClient"/>. Every member has a usable default.</summary>
public sealed class RegistryClientOptions
{
    /// <summary>Use plain http even for a non-loopback host (loopback hosts always use http).</summary>
    public bool Insecure { get; init; }

    /// <summary>Credentials for Basic auth and the token request; null for anonymous access.</summary>
    public RegistryCredential? Credential { get; init; }

    /// <summary>
    /// Where the credential comes from when <see cref="Credential"/> is null (a <see cref="DockerKeychain"/>): asked with
    /// the client's host only once the registry challenges, and whenever the credential is needed after that (the source
    /// caches; a token it renews is picked up). Null for anonymous access.
    /// </summary>
    public ICredentialSource? CredentialSource { get; init; }

    /// <summary>How many times a request is retried after a 429, a 5xx or a reset connection (default 4; 0 disables retries).</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>The first retry delay; later ones grow exponentially (default 200 ms).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Blobs larger than this many bytes are uploaded in chunks (default 32 MiB).</summary>
    public long ChunkedUploadThreshold { get; init; } = 32L * 1024 * 1024;

    /// <summary>The size of one PATCH of a chunked upload, in bytes (default 8 MiB).</summary>
    public int ChunkSize { get; init; } = 8 * 1024 * 1024;

    /// <summary>
    /// How long establishing a connection (TCP, and TLS for https) may take before the request fails (default 30 s;
    /// <see cref="Timeout.InfiniteTimeSpan"/> waits forever).
    /// </summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the registry may stay silent before the request fails, not retried (default 2 minutes;
    /// <see cref="Timeout.InfiniteTimeSpan"/> waits forever): while the request body is sent (the clock restarts at every
    /// write), until the answer's headers arrive (the first wait also allows <see cref="ConnectTimeout"/>, since a new
    /// connection may be opened for it), and between any two reads of an answer's body. A slow transfer that keeps moving
    /// never times out; a registry that accepts a connection and never answers, or stalls in the middle of a blob, does.
    /// </summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Receives one line per retry and per token fetch (never a credential); null for silence.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>
    /// Receives one line per repair of content the registry did not serve correctly (a blob uploaded again, a manifest put
    /// again; see <c>Registry/README.md</c>, "Repair"), naming registry, repository, digest and what was broken; null:
    /// those lines go to <see cref="Log"/>.
    /// </summary>
    public Action<string>? Report { get; init; }
}
