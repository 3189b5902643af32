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

    /// <summary>
    /// At most how many times one request is retried (default unbounded: <see cref="RetryBudget"/> bounds the retries; 0
    /// disables retries). Which failures are retried is in the folder README ("Transport").
    /// </summary>
    public int MaxRetries { get; init; } = int.MaxValue;

    /// <summary>
    /// How long one request may keep being retried, counted from its first attempt (default 12 minutes, as kpromo's): a
    /// retry whose wait (backoff or <c>Retry-After</c>) would end after the budget is not made, and the last failure is
    /// reported with the number of attempts and the time spent.
    /// </summary>
    public TimeSpan RetryBudget { get; init; } = TimeSpan.FromMinutes(12);

    /// <summary>The first retry delay; later ones double, with jitter, up to <see cref="MaxRetryDelay"/> (default 200 ms).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest backoff between two attempts when the registry gives no <c>Retry-After</c> (default 30 s).</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The transport the client's requests go through (per-host rate limit, cool-down after a 429, counters); null for a
    /// transport of the client's own with the default settings. <see cref="RegistryPool"/> gives all its clients one.
    /// </summary>
    public RegistryTransport? Transport { get => _transport; init => _transport = value; }
    private RegistryTransport? _transport;

    /// <summary>A copy of these options using <paramref name="transport"/>.</summary>
    internal RegistryClientOptions WithTransport(RegistryTransport transport)
    {
        var copy = (RegistryClientOptions)MemberwiseClone();
        copy._transport = transport;
        return copy;
    }

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
    /// How long the registry may stay silent before the attempt fails (default 2 minutes;
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
