using System.Collections.Concurrent;
using Promoter.Oci;

namespace Promoter.Registry;

/// <summary>
/// Gets blobs into registry repositories for one run (one instance per run, shared by its pushes and copies):
/// each (registry, repository, digest) is moved at most once, and concurrent requests for it wait for that one move;
/// nothing is sent when the repository has the blob; a copy within one registry is a cross-repository mount; a copy
/// across registries streams the bytes and commits them only if they hash to the digest; small blobs bound for several
/// registries are read from the source once per run; a blob copied across registries lands once per target registry,
/// later repositories of that registry mount it from the first repository of the run that has it. Local content (bytes
/// or a stream opener) is uploaded the same way. Thread-safe. See <c>Registry/README.md</c>.
/// </summary>
/// <param name="cacheBytes">Memory the small-blob cache may hold (bytes); 0 streams every cross-registry copy.</param>
public sealed class BlobTransfer(long cacheBytes = BlobTransfer.DefaultCacheBytes)
{
    /// <summary>Blobs up to this size (bytes) are kept in memory for the run when copied across registries.</summary>
    public const long SmallBlobBytes = 1024 * 1024;

    /// <summary>The default memory the small-blob cache may hold per run (bytes); larger sets stream the rest.</summary>
    public const long DefaultCacheBytes = 64L * 1024 * 1024;

    /// <summary>Moves by (registry base address, repository, digest); a failed move is forgotten so a later call retries.</summary>
    private readonly ConcurrentDictionary<(string, string, Digest), Lazy<Task<BlobCopyOutcome>>> _moves = new();

    /// <summary>Small blobs read (and verified) from a source, by digest: a digest names its bytes whichever registry holds them.</summary>
    private readonly ConcurrentDictionary<Digest, Lazy<Task<byte[]>>> _small = new();

    /// <summary>
    /// Per (target registry base address, digest): the first repository of the run that holds the blob (found there or
    /// copied there), completed once it is there; null when that copy failed. Later cross-registry copies into the same
    /// registry wait for it and mount from that repository instead of sending the bytes again.
    /// </summary>
    private readonly ConcurrentDictionary<(string, Digest), TaskCompletionSource<string?>> _holders = new();

    private long _cachedBytes;

    /// <summary>
    /// Copies blob <paramref name="digest"/> from <paramref name="sourceRepository"/> of <paramref name="source"/> into
    /// <paramref name="targetRepository"/> of <paramref name="target"/>: nothing when the target has it, a mount when both
    /// are one registry (the bytes when the registry cannot mount), a mount from the first repository of the run that got
    /// the blob in the target registry, otherwise the bytes, never decompressed, committed only if they hash to
    /// <paramref name="digest"/>.
    /// </summary>
    /// <param name="source">The registry holding the blob.</param>
    /// <param name="sourceRepository">The repository holding the blob.</param>
    /// <param name="target">The registry to copy into (may be <paramref name="source"/>).</param>
    /// <param name="targetRepository">The repository to copy into.</param>
    /// <param name="digest">The blob's digest.</param>
    /// <param name="size">The blob's size in bytes from its descriptor, or -1 when unknown (then it is never cached).</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <param name="expectPresent">True when the caller checks content it expects in place (a manifest found in the
    /// destination): the blob is asked with a HEAD first, never mounted straight from the run's holder, so a check of
    /// content in place writes nothing.</param>
    /// <param name="targetEmpty">True when the caller knows <paramref name="targetRepository"/> held nothing when it looked
    /// (a promotion plan's new repository): the blob is sent without a HEAD first, and confirmed by a HEAD all the same.</param>
    /// <returns>What this call did; <see cref="BlobCopyOutcome.Shared"/> when another call of the run moved it.</returns>
    /// <exception cref="RegistryException">The source lacks the blob, its bytes do not match the digest (nothing is
    /// committed), or either registry failed; the message names both ends.</exception>
    public Task<BlobCopyOutcome> CopyAsync(RegistryClient source, string sourceRepository, RegistryClient target, string targetRepository,
        Digest digest, long size = -1, CancellationToken cancellationToken = default, bool expectPresent = false, bool targetEmpty = false) =>
        OnceAsync(target, targetRepository, digest,
            () => CopyOnceAsync(source, sourceRepository, target, targetRepository, digest, size, expectPresent, targetEmpty && !expectPresent,
                cancellationToken));

    /// <summary>Uploads <paramref name="content"/> as blob <paramref name="digest"/> unless the repository has it, then confirms it is there.</summary>
    /// <param name="target">The registry to upload to.</param>
    /// <param name="repository">The repository to upload to.</param>
    /// <param name="digest">The digest the bytes must have.</param>
    /// <param name="content">The blob's bytes.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>What this call did; <see cref="BlobCopyOutcome.Shared"/> when another call of the run moved it.</returns>
    /// <exception cref="RegistryException">The bytes do not hash to the digest (nothing is sent), or the registry refused.</exception>
    public Task<BlobCopyOutcome> UploadAsync(RegistryClient target, string repository, Digest digest, ReadOnlyMemory<byte> content,
        CancellationToken cancellationToken = default) =>
        OnceAsync(target, repository, digest, () => UploadOnceAsync(target, repository, digest, content.Length,
            () => target.UploadBlobAsync(repository, digest, content, cancellationToken), cancellationToken));

    /// <summary>
    /// Uploads the bytes <paramref name="open"/> gives as blob <paramref name="digest"/> unless the repository has it
    /// (the stream is opened only then, and disposed), then confirms it is there.
    /// </summary>
    /// <param name="target">The registry to upload to.</param>
    /// <param name="repository">The repository to upload to.</param>
    /// <param name="digest">The digest the bytes must have.</param>
    /// <param name="size">The number of bytes, or -1 when unknown.</param>
    /// <param name="open">Opens the blob's bytes, read to the end.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>What this call did; <see cref="BlobCopyOutcome.Shared"/> when another call of the run moved it.</returns>
    /// <exception cref="RegistryException">The bytes do not hash to the digest or number <paramref name="size"/> (nothing
    /// is committed), or the registry refused.</exception>
    public Task<BlobCopyOutcome> UploadAsync(RegistryClient target, string repository, Digest digest, long size, Func<Stream> open,
        CancellationToken cancellationToken = default) =>
        OnceAsync(target, repository, digest, () => UploadOnceAsync(target, repository, digest, size, async () =>
        {
            await using var content = open();
            await target.UploadBlobAsync(repository, digest, content, size, cancellationToken);
        }, cancellationToken));

    /// <summary>Runs <paramref name="move"/> once per (registry, repository, digest); later callers wait for it and get <see cref="BlobCopyOutcome.Shared"/>.</summary>
    private async Task<BlobCopyOutcome> OnceAsync(RegistryClient target, string repository, Digest digest, Func<Task<BlobCopyOutcome>> move)
    {
        var key = (target.BaseAddress.AbsoluteUri, repository, digest);
        Lazy<Task<BlobCopyOutcome>>? mine = null;
        mine = new Lazy<Task<BlobCopyOutcome>>(async () =>
        {
            try
            {
                return await move();
            }
            catch
            {
                _moves.TryRemove(KeyValuePair.Create(key, mine!));
                throw;
            }
        });
        var shared = _moves.GetOrAdd(key, mine);
        var outcome = await shared.Value;
        if (!ReferenceEquals(shared, mine)) return BlobCopyOutcome.Shared;
        // Done: the entry keeps only its key (the move's task holds its closure and locals while referenced; a run
        // holds one entry per blob, repository and registry).
        _moves.TryUpdate(key, Moved, mine);
        return outcome;
    }

    /// <summary>The entry of a finished move in <see cref="_moves"/>: later callers get <see cref="BlobCopyOutcome.Shared"/>.</summary>
    private static readonly Lazy<Task<BlobCopyOutcome>> Moved = new(Task.FromResult(BlobCopyOutcome.Shared));

    private static async Task<BlobCopyOutcome> UploadOnceAsync(RegistryClient target, string repository, Digest digest, long size,
        Func<Task> upload, CancellationToken cancellationToken)
    {
        var before = await ServedContent.HeadBlobAsync(target, repository, digest, size, cancellationToken);
        if (before.State == ServedState.Served) return BlobCopyOutcome.AlreadyPresent;
        var outcome = await ConcurrentWriter.WriteAsync(async () =>
            {
                await upload();
                return BlobCopyOutcome.Uploaded;
            },
            () => LandedAsync(target, repository, digest, size, cancellationToken), BlobCopyOutcome.AlreadyPresent, cancellationToken);
        await ConfirmAsync(target, repository, digest, size, before, "uploading it again", cancellationToken);
        return outcome;
    }

    /// <summary>
    /// Confirms a blob this transfer has just written: one HEAD with the size compared when it was missing before; when
    /// it was broken before (a repair), a HEAD and a GET whose bytes must hash to the digest, and the repair is reported.
    /// </summary>
    /// <exception cref="RegistryException">The registry still does not serve the blob correctly; the message says what is broken.</exception>
    private static async Task ConfirmAsync(RegistryClient target, string repository, Digest digest, long size, ServedCheck before,
        string how, CancellationToken cancellationToken)
    {
        var what = $"{target.Host}/{repository}@{digest}";
        if (before.State != ServedState.Broken)
        {
            var after = await ServedContent.HeadBlobAsync(target, repository, digest, size, cancellationToken);
            if (after.State == ServedState.Served) return;
            throw new RegistryException(
                $"{what}: the registry accepted the blob but does not serve it: {after.Problem ?? "HEAD answers 404"}.{Hint(after)}", what);
        }
        var check = await ServedContent.GetBlobAsync(target, repository, digest, size, cancellationToken);
        if (check.State == ServedState.Served)
        {
            target.ReportRepair($"repaired blob {what}: {before.Problem}; {how} fixed it (now served with {(size >= 0 ? size + " byte(s) and " : "")}the right digest)");
            return;
        }
        throw new RegistryException(
            $"{what}: the registry lists the blob but does not serve it correctly ({before.Problem}), and {how} did not repair it " +
            $"({check.Problem ?? "HEAD answers 404"}).{Hint(check)}", what);
    }

    /// <summary>What an operator can do when Distribution keeps a damaged data file (measured with Distribution 2.8).</summary>
    private static string Hint(ServedCheck check) =>
        check.Problem?.Contains("with 0 byte", StringComparison.Ordinal) == true
            ? " The registry's storage holds a 0-byte data file for it (left by a crash); CNCF Distribution keeps an existing blob " +
              "data file on upload and mount, so it must be removed from the storage (docker/registry/v2/blobs/sha256/XX/HEX/data) " +
              "before the blob can be written again."
            : "";

    /// <summary>Whether the target now serves the blob (with <paramref name="size"/> bytes, when known): a concurrent writer's upload counts.</summary>
    private static async Task<bool> LandedAsync(RegistryClient target, string repository, Digest digest, long size, CancellationToken cancellationToken) =>
        (await ServedContent.HeadBlobAsync(target, repository, digest, size, cancellationToken)).State == ServedState.Served;

    private async Task<BlobCopyOutcome> CopyOnceAsync(RegistryClient source, string sourceRepository, RegistryClient target,
        string targetRepository, Digest digest, long size, bool expectPresent, bool targetEmpty, CancellationToken cancellationToken)
    {
        var key = (target.BaseAddress.AbsoluteUri, digest);
        if (expectPresent || source.BaseAddress == target.BaseAddress) return await CheckAndWriteAsync();

        // Across registries: the first copy of the run into this registry claims the digest there, asks for it and sends
        // the bytes if needed; every later copy into that registry waits for it and mounts from its repository. That mount
        // is the whole cost: the holder's HEAD proved the registry's data for the digest whole, and a 201 means the
        // registry linked it into this repository (a mount rewrites a link a crash emptied). A refused mount, or a failed
        // first copy, goes the long way.
        var mine = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = _holders.GetOrAdd(key, mine);
        if (!ReferenceEquals(holder, mine))
        {
            if (await holder.Task.WaitAsync(cancellationToken) is { } from && from != targetRepository
                && await TryMountAsync(target, targetRepository, digest, from, cancellationToken))
                return BlobCopyOutcome.Mounted;
            return await CheckAndWriteAsync();
        }
        try
        {
            var outcome = await CheckAndWriteAsync();
            mine.SetResult(targetRepository);
            return outcome;
        }
        catch
        {
            _holders.TryRemove(KeyValuePair.Create(key, mine));
            mine.SetResult(null);
            throw;
        }

        // The long way: a HEAD (none into a repository that held nothing); nothing more when the blob is served (it then
        // holds the digest for the registry, unless a copy already does); else the write (a mount within one registry, the
        // bytes across), confirmed by a HEAD, or after a repair of a broken blob by a GET.
        async Task<BlobCopyOutcome> CheckAndWriteAsync()
        {
            var before = targetEmpty ? ServedCheck.Missing : await ServedContent.HeadBlobAsync(target, targetRepository, digest, size, cancellationToken);
            if (before.State == ServedState.Served)
            {
                var found = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
                found.SetResult(targetRepository);
                _holders.TryAdd(key, found);
                return BlobCopyOutcome.AlreadyPresent;
            }
            var outcome = await ConcurrentWriter.WriteAsync(
                () => MoveAsync(source, sourceRepository, target, targetRepository, digest, size, cancellationToken),
                () => LandedAsync(target, targetRepository, digest, size, cancellationToken), BlobCopyOutcome.AlreadyPresent, cancellationToken);
            await ConfirmAsync(target, targetRepository, digest, size, before,
                outcome == BlobCopyOutcome.Mounted ? $"mounting it from {sourceRepository}" : "copying it again", cancellationToken);
            return outcome;
        }
    }

    /// <summary>A cross-repository mount within <paramref name="target"/>; false when refused or raced (the caller then sends the bytes).</summary>
    private static async Task<bool> TryMountAsync(RegistryClient target, string repository, Digest digest, string from,
        CancellationToken cancellationToken)
    {
        try
        {
            return await target.MountBlobAsync(repository, digest, from, cancellationToken);
        }
        catch (RegistryException e) when (ConcurrentWriter.IsRace(e))
        {
            return false;
        }
    }

    /// <summary>One attempt of a copy the target lacks: a mount within one registry, else the bytes (cached when small).</summary>
    private async Task<BlobCopyOutcome> MoveAsync(RegistryClient source, string sourceRepository, RegistryClient target,
        string targetRepository, Digest digest, long size, CancellationToken cancellationToken)
    {
        var sameRegistry = source.BaseAddress == target.BaseAddress;
        if (sameRegistry && sourceRepository != targetRepository
            && await target.MountBlobAsync(targetRepository, digest, sourceRepository, cancellationToken))
            return BlobCopyOutcome.Mounted;

        var what = $"copy blob {source.Host}/{sourceRepository}@{digest} to {target.Host}/{targetRepository}";
        try
        {
            if (!sameRegistry && CachedRead(source, sourceRepository, digest, size, cancellationToken) is { } read)
            {
                await target.UploadBlobAsync(targetRepository, digest, await read, cancellationToken);
                return BlobCopyOutcome.Uploaded;
            }
            var (stream, length) = await source.OpenBlobAsync(sourceRepository, digest, cancellationToken);
            await using (stream)
                await target.UploadBlobAsync(targetRepository, digest, stream, length ?? -1, cancellationToken);
            return BlobCopyOutcome.Uploaded;
        }
        catch (RegistryException e) when (e.StatusCode is null)
        {
            throw new RegistryException($"{what}: {e.Message}", e.Reference, inner: e) { IsTimeout = e.IsTimeout, UploadSessionBroken = e.UploadSessionBroken };
        }
        catch (IOException e)
        {
            throw new RegistryException($"{what}: reading from registry {source.Host} failed ({e.Message}); the upload was not committed.",
                $"{source.Host}/{sourceRepository}@{digest}", inner: e);
        }
    }

    /// <summary>
    /// The bytes of a small blob, read from the source once per run and verified as read; null when the blob is not
    /// small, its size is unknown, or the cache is full (then the caller streams it).
    /// </summary>
    private Task<byte[]>? CachedRead(RegistryClient source, string repository, Digest digest, long size, CancellationToken cancellationToken)
    {
        if (size is < 0 or > SmallBlobBytes) return null;
        if (_small.TryGetValue(digest, out var known)) return known.Value;
        if (!TryReserve(size)) return null;
        Lazy<Task<byte[]>>? mine = null;
        mine = new Lazy<Task<byte[]>>(async () =>
        {
            try
            {
                await using var stream = await source.GetBlobAsync(repository, digest, cancellationToken);
                using var buffer = new MemoryStream((int)size);
                await stream.CopyToAsync(buffer, cancellationToken);
                return buffer.ToArray();
            }
            catch
            {
                if (_small.TryRemove(KeyValuePair.Create(digest, mine!))) Interlocked.Add(ref _cachedBytes, -size);
                throw;
            }
        });
        var shared = _small.GetOrAdd(digest, mine);
        if (!ReferenceEquals(shared, mine)) Interlocked.Add(ref _cachedBytes, -size); // another call cached it meanwhile
        return shared.Value;
    }

    /// <summary>Reserves <paramref name="size"/> bytes of the cache; false when they do not fit.</summary>
    private bool TryReserve(long size)
    {
        while (true)
        {
            var current = Volatile.Read(ref _cachedBytes);
            if (current + size > cacheBytes) return false;
            if (Interlocked.CompareExchange(ref _cachedBytes, current + size, current) == current) return true;
        }
    }
}
