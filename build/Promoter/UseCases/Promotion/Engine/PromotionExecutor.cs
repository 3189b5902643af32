using System.Collections.Concurrent;
using Promoter.Oci;
using Promoter.Registry;

namespace Promoter.Promotion.Engine;

/// <summary>
/// Carries out a <see cref="PromotionPlan"/>: copies manifests by digest (an index after all its children, an image
/// manifest after all its blobs are confirmed present), then writes the tags, each guarded by the plan's view of the tag
/// and read back (<see cref="ManifestWriter"/>). Manifest bytes are never rewritten, so
/// digests are preserved; blobs go through one <see cref="BlobTransfer"/> per run (mounted within one registry,
/// streamed with sha256 verification across registries, small ones read once for every destination). Nothing is ever
/// deleted. Only <see cref="PromotionPipeline"/>'s execute phase runs it, after the check phase refused what must not
/// be written.
/// </summary>
/// <param name="registries">The run's registry clients.</param>
/// <param name="threads">How many copies (and repositories' tags) run at once; at least 1.</param>
/// <param name="log">Receives one line per copy and per tag written.</param>
/// <param name="verifyDestination">Also check manifests the plan found already promoted (<see cref="PromotionPolicy.VerifyDestination"/>);
/// false checks only those about to gain a tag.</param>
internal sealed class PromotionExecutor(RegistryPool registries, int threads, Action<string>? log = null, bool verifyDestination = false)
{
    /// <summary>
    /// How long after its last tag put a run reads its tags back: a racing promotion that saw a tag absent just before this
    /// run wrote it has put its own digest by then (Distribution has no conditional put, so a race is detected, not prevented).
    /// </summary>
    internal static readonly TimeSpan TagSettleTime = TimeSpan.FromMilliseconds(250);

    /// <summary>Fed with each copy and tag done, manifest put and blob written; null for none.</summary>
    public PromotionProgress? Progress { get; init; }

    /// <summary>The state of one <see cref="ExecuteAsync"/> call: its counts and the copies it has started.</summary>
    private sealed class Run
    {
        public int Put, Uploaded, Mounted, Present, Tags;
        public readonly ConcurrentDictionary<(string, string, Digest), Lazy<Task>> Copies = new();
        /// <summary>
        /// The run's blob moves: images copied at once often share a blob (an empty layer), and two uploads of one blob
        /// into one repository race on Distribution's filesystem driver, so each runs once; small blobs are read once.
        /// </summary>
        public readonly BlobTransfer Blobs = new();
        /// <summary>Manifest bytes fetched (and sha256-verified) by this run, by digest: a digest names its bytes for good.</summary>
        public readonly ConcurrentDictionary<Digest, ManifestContent> Manifests = new();
        /// <summary>
        /// Source manifests being fetched, by digest: the copies of one digest into several destinations start together,
        /// and one GET serves them all. An entry is dropped once its bytes are in <see cref="Manifests"/>.
        /// </summary>
        public readonly ConcurrentDictionary<Digest, Lazy<Task<ManifestContent>>> Fetches = new();
        /// <summary>Destination manifests already in place that this run checked (<see cref="EnsureServedAsync"/>), once each.</summary>
        public readonly ConcurrentDictionary<(string, string, Digest), Lazy<Task>> Checked = new();
        /// <summary>The plan's destination references that were listed but not served (<see cref="PromotionPlan.Unserved"/>).</summary>
        public IReadOnlyDictionary<string, string> Unserved = new Dictionary<string, string>();
        /// <summary>What must never be written (<see cref="PromotionPlan.Fence"/>), by (registry address, repository, tag or digest).</summary>
        public HashSet<(string, string, string)> Fence = [];

        /// <summary>Destination repositories (<c>address/repository</c>) that held nothing when planned (<see cref="PromotionPlan.NewRepositories"/>).</summary>
        public IReadOnlySet<string> Empty = new HashSet<string>();

        /// <summary>
        /// Copies (registry address, repository, digest) whose manifest the run will tag: their put by digest is left to
        /// the first tag put, which stores the same bytes, and whose read-back is then a GET that hashes them.
        /// </summary>
        public HashSet<(string Registry, string Repository, Digest Digest)> Tagged = [];

        /// <summary>
        /// Manifests copied but not yet put (their blobs and children are in place), by (registry address, repository,
        /// digest): the first tag put writes each, or an index listing it puts it by digest first.
        /// </summary>
        public readonly ConcurrentDictionary<(string, string, Digest), ManifestContent> Deferred = new();

        /// <summary>The tags whose put wrote a deferred manifest: read back by a GET that hashes the bytes.</summary>
        public readonly ConcurrentDictionary<TagJob, byte> FirstWrites = new();
    }

    /// <summary>
    /// Stops a write of a refused reference: every manifest and tag put passes here first, so no plan, however built, can
    /// make the executor write what the plan refused (a refused tag, a refused digest, or a tag on a refused digest).
    /// </summary>
    /// <exception cref="InvalidOperationException">A programming error: a write of a fenced reference was about to be sent.</exception>
    private void Fenced(Run run, ImageReference destination, string reference, Digest digest)
    {
        if (run.Fence.Count == 0) return;
        var address = registries.Resolve(destination.Registry).Address;
        if (run.Fence.Contains((address, destination.Repository, reference)) || run.Fence.Contains((address, destination.Repository, digest.Value)))
            throw new InvalidOperationException(
                $"refused write stopped: {destination.Registry}/{destination.Repository}:{reference} ({digest}) is refused by the plan and must never be written.");
    }

    /// <summary>Executes the plan's copies, then its tags; a refused edge's references (<see cref="PromotionPlan.Fence"/>) are
    /// never written.</summary>
    /// <exception cref="InvalidOperationException">A programming error: a copy, attachment or tag of the plan would write a
    /// fenced reference (the planners and <see cref="RefusalClosure"/> never plan one).</exception>
    /// <exception cref="RegistryException">A registry operation failed; tags of failed copies are not written.</exception>
    public async Task<PromotionCounts> ExecuteAsync(PromotionPlan plan, CancellationToken cancellationToken = default)
    {
        var run = new Run
        {
            Unserved = plan.Unserved,
            Empty = plan.NewRepositories,
            Fence = plan.Fence.Select(r => (registries.Resolve(r.Registry).Address, r.Repository, r.ManifestReference)).ToHashSet(),
        };
        // A manifest the run tags is put by its first tag, not by digest first (one request less, and its read-back GET by
        // tag confirms both the bytes and the tag); one the plan saw damaged is put by digest, so its repair is reported.
        run.Tagged = plan.ManifestsPutByTag(registry => registries.Resolve(registry).Address);
        // The source manifests the plan read to count its egress are not fetched again (a digest names its bytes for good).
        foreach (var (digest, manifest) in plan.SourceManifests) run.Manifests.TryAdd(digest, manifest);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(plan.Copies, parallel, async (job, ct) =>
        {
            // The plan has just seen the digest missing in the destination: no need to ask again.
            await CopyManifestAsync(run, job.Source, job.Destination, ct, knownMissing: true, deferPut: true);
            Progress?.Copied(job);
            log?.Invoke($"copied {job.Source} -> {job.Destination}");
        });
        // Attachment manifests this run writes itself (merged or new signatures, referrers indexes): after the copies, since
        // a referrers index needs its referrers in the repository; their tags are among the plan's tags.
        // Referrers written by digest alone (promotion records) go first: a referrers index listing one is written after it.
        foreach (var wave in plan.AttachmentWrites.GroupBy(w => w.Destination.Tag is not null).OrderBy(g => g.Key))
            await Parallel.ForEachAsync(wave, parallel, async (write, ct) =>
            {
                await WriteAttachmentAsync(run, write, ct);
                log?.Invoke($"wrote {write.Destination.WithDigest(write.Built.Manifest.Digest)} ({write.What})");
            });
        // What the plan found already in the destination and is about to tag is relied on: check that it is served, and
        // repair what is not, before any tag is put on it (a tag put on a manifest whose blob a crash damaged fails with
        // MANIFEST_BLOB_UNKNOWN). What is already promoted (its tags in place) is checked only when asked: a no-op run
        // would otherwise pay a manifest GET and a HEAD per blob for every destination digest.
        var inPlace = plan.Edges
            .Where(e => e.DigestInDestination && (e.Decision is EdgeDecision.AddTag or EdgeDecision.MoveTag
                                                  || (verifyDestination && e.Decision == EdgeDecision.AlreadyPromoted)))
            .Select(e => (Source: e.Edge.SourceReference(), Destination: e.Edge.DestinationReference().WithDigest(Digest.Parse(e.Edge.Digest))))
            .Distinct()
            .ToList();
        await Parallel.ForEachAsync(inPlace, parallel, async (edge, ct) => await EnsureServedAsync(run, edge.Source, edge.Destination, ct));
        if (inPlace.Count > 0) log?.Invoke($"checked {inPlace.Count} manifest(s) already in the destination: their manifests and blobs are served");
        // Tags of one repository are written one after another (repositories in parallel): re-putting a manifest under
        // a tag rewrites its revision link in place on Distribution's filesystem driver, and an index put under a tag at
        // that moment fails with MANIFEST_BLOB_UNKNOWN because the child's link reads empty.
        var written = new ConcurrentQueue<TagJob>();
        long lastPut = 0;
        var byRepository = plan.Tags.GroupBy(t => (registries.Resolve(t.Destination.Registry).Address, t.Destination.Repository)).ToList();
        await Parallel.ForEachAsync(byRepository, parallel, async (group, ct) =>
        {
            // Tags the plan saw absent are guarded together by one listing of the repository's tags when there are several
            // (a tag still unlisted is still absent); a listed one, and a tag the plan saw on a digest, by a HEAD of its own.
            var absent = group.Count(j => j.Previous is null) >= 2
                ? await UnlistedAsync(registries.For(group.First().Destination.Registry), group.First().Destination.Repository, ct)
                : null;
            foreach (var job in group)
            {
                Fenced(run, job.Destination, job.Destination.Tag!, job.Digest);
                var client = registries.For(job.Destination.Registry);
                var repository = job.Destination.Repository;
                // Guarded by the plan's view of the tag, and read back: a tag another promotion wrote meanwhile fails
                // this run, naming both digests, instead of two runs both reporting the tag as theirs.
                var guard = job.Previous is null && absent is not null && !absent.Contains(job.Destination.Tag!)
                    ? ManifestPutGuard.Listed
                    : ManifestPutGuard.Expect(job.Previous);
                var deferredKey = (registries.Resolve(job.Destination.Registry).Address, repository, job.Digest);
                var first = run.Deferred.TryRemove(deferredKey, out _);
                ManifestPutOutcome outcome;
                try
                {
                    outcome = await ManifestWriter.PutAsync(client, repository, job.Destination.Tag!, job.Digest,
                        async c => run.Manifests.TryGetValue(job.Digest, out var known) ? known : await client.GetManifestAsync(repository, job.Digest.Value, c),
                        guard, readBack: false, ct);
                }
                catch
                {
                    if (first) run.Deferred.TryAdd(deferredKey, run.Manifests[job.Digest]);
                    throw;
                }
                if (first && outcome == ManifestPutOutcome.Written)
                {
                    run.FirstWrites.TryAdd(job, 0);
                    Interlocked.Increment(ref run.Put);
                    Progress?.ManifestPut();
                }
                Progress?.Tagged(job);
                if (outcome == ManifestPutOutcome.AlreadyThere)
                {
                    log?.Invoke($"tag {job.Destination} already points at {job.Digest} (written by another promotion)");
                    continue;
                }
                written.Enqueue(job);
                Interlocked.Exchange(ref lastPut, Environment.TickCount64);
                Interlocked.Increment(ref run.Tags);
                log?.Invoke($"tagged {job.Destination} -> {job.Digest}");
            }
        });
        await ReadBackAsync(run, written, Interlocked.Read(ref lastPut), parallel);
        if (!run.Deferred.IsEmpty)
            throw new InvalidOperationException(
                $"{run.Deferred.Count} copied manifest(s) were left unwritten: {string.Join(", ", run.Deferred.Keys.Select(k => $"{k.Item2}@{k.Item3}"))}");

        return new PromotionCounts(run.Put, run.Uploaded, run.Mounted, run.Present, run.Tags);
    }

    /// <summary>
    /// The tags <paramref name="repository"/> lists now (one <c>tags/list</c>, paged; empty when the repository does not
    /// exist), or null when the listing failed (the caller then guards each tag with a HEAD).
    /// </summary>
    private async Task<HashSet<string>?> UnlistedAsync(RegistryClient client, string repository, CancellationToken cancellationToken)
    {
        try
        {
            return await client.ListTagsOrEmptyAsync(repository, PromotionPlanner.TagPageSize, cancellationToken);
        }
        catch (RegistryException e)
        {
            log?.Invoke($"listing the tags of {client.Host}/{repository} failed ({e.Message}); each tag is guarded by a HEAD instead");
            return null;
        }
    }

    /// <summary>
    /// Reads every tag written back once all are written, and at least <see cref="TagSettleTime"/> after the last put, so
    /// that the put of a promotion racing this one (which checked the tag before this run wrote it) has landed: one HEAD per
    /// tag, a GET whose bytes must hash to the digest for a tag whose put wrote the manifest itself. Every moved tag is
    /// reported, naming both digests.
    /// </summary>
    private async Task ReadBackAsync(Run run, IReadOnlyCollection<TagJob> written, long lastPut, ParallelOptions parallel)
    {
        if (written.Count == 0) return;
        var wait = TagSettleTime - TimeSpan.FromMilliseconds(Environment.TickCount64 - lastPut);
        if (wait > TimeSpan.Zero) await Task.Delay(wait, parallel.CancellationToken);
        var failures = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(written, parallel, async (job, ct) =>
        {
            try
            {
                await ManifestWriter.ReadBackAsync(registries.For(job.Destination.Registry), job.Destination.Repository, job.Destination.Tag!, job.Digest,
                    ct, hashBytes: run.FirstWrites.ContainsKey(job));
            }
            catch (RegistryException e)
            {
                failures.Enqueue(e.Message);
            }
        });
        if (!failures.IsEmpty)
            throw new RegistryException(failures.Count == 1 ? failures.Single()
                : $"{failures.Count} tag(s) moved under the run:\n" + string.Join("\n", failures.Order(StringComparer.Ordinal)));
        log?.Invoke($"read back {written.Count} tag(s): each points at the digest written");
    }

    /// <summary>
    /// Writes an attachment manifest this run built: its layers' blobs from the source repository (a blob the destination
    /// already holds is not moved), the blobs it made (payloads, config), then the manifest by digest.
    /// </summary>
    private async Task WriteAttachmentAsync(Run run, AttachmentWrite write, CancellationToken cancellationToken)
    {
        Fenced(run, write.Destination, write.Destination.Tag ?? write.Built.Manifest.Digest.Value, write.Built.Manifest.Digest);
        if (write.Subject is { } subject) Fenced(run, write.Destination, subject.Value, subject);
        var from = registries.For(write.BlobSource.Registry);
        var to = registries.For(write.Destination.Registry);
        var repository = write.Destination.Repository;
        var outcomes = new List<BlobCopyOutcome>();
        var sizes = new List<long>();
        foreach (var (digest, bytes) in write.NewBlobs)
        {
            outcomes.Add(await run.Blobs.UploadAsync(to, repository, digest, bytes, cancellationToken));
            sizes.Add(bytes.Length);
        }
        foreach (var layer in write.CopiedBlobs)
        {
            outcomes.Add(await run.Blobs.CopyAsync(from, write.BlobSource.Repository, to, repository, layer.Digest, layer.Size, cancellationToken));
            sizes.Add(layer.Size);
        }
        foreach (var (outcome, size) in outcomes.Zip(sizes))
        {
            switch (outcome)
            {
                case BlobCopyOutcome.Uploaded: Interlocked.Increment(ref run.Uploaded); break;
                case BlobCopyOutcome.Mounted: Interlocked.Increment(ref run.Mounted); break;
                default: Interlocked.Increment(ref run.Present); break;
            }
            Written(outcome, size);
        }
        var manifest = write.Built.Manifest;
        // An index (a referrers index) lists manifests the registry must hold: a copied one whose put waits for its tag
        // is put by digest now.
        if (manifest.Parse(write.Destination.ToString()) is { IsIndex: true } index)
            foreach (var child in index.Manifests)
                if (run.Deferred.TryRemove((registries.Resolve(write.Destination.Registry).Address, repository, child.ParsedDigest), out var deferred))
                    await PutByDigestAsync(run, write.Destination, deferred, cancellationToken);
        var put = await ManifestWriter.PutAsync(to, repository, manifest.Digest.Value, manifest, ManifestPutGuard.Overwrite, cancellationToken);
        run.Manifests.TryAdd(manifest.Digest, manifest);
        if (put == ManifestPutOutcome.Written)
        {
            Interlocked.Increment(ref run.Put);
            Progress?.ManifestPut();
        }
    }

    /// <summary>
    /// Copies the manifest <paramref name="source"/> (by digest) into <paramref name="destination"/>'s repository, children
    /// and blobs first. Each (registry address, repository, digest) is copied once per run even when several edges (or two
    /// names of the same registry) need it.
    /// </summary>
    /// <remarks>With <paramref name="deferPut"/> (a copy the plan asked for, not a child of an index) and a manifest the run
    /// tags in that repository, its put is left to the first tag (<see cref="Run.Deferred"/>).</remarks>
    private async Task CopyManifestAsync(Run run, ImageReference source, ImageReference destination, CancellationToken cancellationToken,
        bool knownMissing = false, bool deferPut = false)
    {
        var key = (registries.Resolve(destination.Registry).Address, destination.Repository, source.Digest!.Value);
        await run.Copies.GetOrAdd(key, _ => new Lazy<Task>(async () =>
        {
            await CopyOnceAsync(run, source, destination, key, knownMissing, deferPut && run.Tagged.Contains(key), cancellationToken);
            // Done: the entry keeps only its key. A finished async method's task holds its locals (the manifest's
            // bytes and parsed document) as long as it is referenced, and a run holds one entry per image and destination.
            run.Copies[key] = Copied;
        })).Value;
        // An index's child (or a tagless edge) needs the manifest by digest now, even though a tag was to write it.
        if (!deferPut && run.Deferred.TryRemove(key, out var deferred)) await PutByDigestAsync(run, destination, deferred, cancellationToken);
    }

    /// <summary>Tells <see cref="Progress"/> of a blob uploaded (with its bytes) or mounted; a blob already there is not written.</summary>
    private void Written(BlobCopyOutcome outcome, long size)
    {
        if (outcome == BlobCopyOutcome.Uploaded) Progress?.BlobWritten(Math.Max(0, size));
        else if (outcome == BlobCopyOutcome.Mounted) Progress?.BlobWritten(0);
    }

    /// <summary>The entry of a finished copy in <see cref="Run.Copies"/>.</summary>
    private static readonly Lazy<Task> Copied = new(Task.CompletedTask);

    /// <summary>The copy of <see cref="CopyManifestAsync"/>, run once per <paramref name="key"/> (destination address, repository, digest).</summary>
    private async Task CopyOnceAsync(Run run, ImageReference source, ImageReference destination, (string Address, string Repository, Digest Digest) key,
        bool knownMissing, bool deferPut, CancellationToken cancellationToken)
    {
        var digest = key.Digest;
        Fenced(run, destination, digest.Value, digest);
        var from = registries.For(source.Registry);
        var to = registries.For(destination.Registry);
        var empty = run.Empty.Contains($"{key.Address}/{key.Repository}");
        // A manifest the registry lists but cannot serve (a 5xx: a link a crash emptied) is copied again and the repair reported.
        string? unserved = null;
        if (!knownMissing && !empty)
        {
            var (check, found) = await ServedContent.HeadManifestAsync(to, destination.Repository, digest.Value, cancellationToken);
            if (found is not null) return;
            if (check.State == ServedState.Broken) unserved = check.Problem;
        }

        var manifest = await FetchAsync(run, from, source.Repository, digest, cancellationToken);
        var document = manifest.Parse(source.ToString());
        if (document.IsIndex)
        {
            // Every child is checked against the fence before any is copied: no sibling is written for a refused child.
            foreach (var child in document.Manifests) Fenced(run, destination, child.ParsedDigest.Value, child.ParsedDigest);
            await Task.WhenAll(document.Manifests.Select(child =>
                CopyManifestAsync(run, source.WithDigest(child.ParsedDigest), destination.WithDigest(child.ParsedDigest), cancellationToken)));
        }
        else
        {
            var outcomes = await Task.WhenAll(document.Blobs.Select(blob =>
                run.Blobs.CopyAsync(from, source.Repository, to, destination.Repository, blob.ParsedDigest, blob.Size, cancellationToken,
                    targetEmpty: empty)));
            foreach (var (outcome, blob) in outcomes.Zip(document.Blobs))
            {
                switch (outcome)
                {
                    case BlobCopyOutcome.Uploaded: Interlocked.Increment(ref run.Uploaded); break;
                    case BlobCopyOutcome.Mounted: Interlocked.Increment(ref run.Mounted); break;
                    default: Interlocked.Increment(ref run.Present); break; // already there, or brought by another copy of the run
                }
                Written(outcome, blob.Size);
            }
        }

        run.Manifests.TryAdd(digest, manifest);
        if (deferPut && unserved is null)
        {
            run.Deferred[key] = manifest;
            return;
        }
        await PutByDigestAsync(run, destination, manifest, cancellationToken);
        if (unserved is not null || run.Unserved.TryGetValue($"{key.Address}/{key.Repository}@{digest.Value}", out unserved))
            to.ReportRepair($"repaired manifest {to.Host}/{destination.Repository}@{digest}: {unserved}; put again, read back and served with the right digest");
    }

    /// <summary>Puts a copied manifest by its digest and reads it back (a GET that hashes it), counting it when written.</summary>
    private async Task PutByDigestAsync(Run run, ImageReference destination, ManifestContent manifest, CancellationToken cancellationToken)
    {
        var put = await ManifestWriter.PutAsync(registries.For(destination.Registry), destination.Repository, manifest.Digest.Value, manifest,
            ManifestPutGuard.None, cancellationToken);
        if (put == ManifestPutOutcome.Written)
        {
            Interlocked.Increment(ref run.Put);
            Progress?.ManifestPut();
        }
    }

    /// <summary>
    /// The bytes of source manifest <paramref name="digest"/>: from the run's manifests when known, else one GET shared by
    /// every copy of the digest that asks meanwhile (a failed GET is forgotten, so a later copy asks again).
    /// </summary>
    private static async Task<ManifestContent> FetchAsync(Run run, RegistryClient from, string repository, Digest digest,
        CancellationToken cancellationToken)
    {
        if (run.Manifests.TryGetValue(digest, out var known)) return known;
        Lazy<Task<ManifestContent>>? mine = null;
        mine = new Lazy<Task<ManifestContent>>(async () =>
        {
            try
            {
                var content = await from.GetManifestAsync(repository, digest.Value, cancellationToken);
                run.Manifests.TryAdd(digest, content);
                return content;
            }
            finally
            {
                run.Fetches.TryRemove(KeyValuePair.Create(digest, mine!));
            }
        });
        return await run.Fetches.GetOrAdd(digest, mine).Value;
    }

    /// <summary>
    /// Checks that a manifest the plan found in the destination is served, with everything it needs: a GET by digest
    /// (bytes hashed), its children likewise, and a HEAD with size check of each blob (through the run's
    /// <see cref="BlobTransfer"/>, which writes again a blob that is missing or not served correctly and reports it). A
    /// manifest not served (5xx, another digest, 404) is copied again from the source and reported. Once per
    /// (registry, repository, digest) per run.
    /// </summary>
    private Task EnsureServedAsync(Run run, ImageReference source, ImageReference destination, CancellationToken cancellationToken)
    {
        var key = (registries.Resolve(destination.Registry).Address, destination.Repository, destination.Digest!.Value);
        return run.Checked.GetOrAdd(key, _ => new Lazy<Task>(async () =>
        {
            var digest = destination.Digest!.Value;
            var to = registries.For(destination.Registry);
            var (check, content) = await ServedContent.GetManifestAsync(to, destination.Repository, digest, cancellationToken);
            if (check.State != ServedState.Served)
            {
                await CopyManifestAsync(run, source, destination, cancellationToken, knownMissing: true);
                to.ReportRepair($"repaired manifest {to.Host}/{destination.Repository}@{digest}: {check.Problem ?? "GET answers 404"}; " +
                                "copied again from the source, read back and served with the right digest");
                return;
            }
            var document = content!.Parse(destination.ToString());
            if (document.IsIndex)
            {
                await Task.WhenAll(document.Manifests.Select(child =>
                    EnsureServedAsync(run, source.WithDigest(child.ParsedDigest), destination.WithDigest(child.ParsedDigest), cancellationToken)));
                return;
            }
            var from = registries.For(source.Registry);
            var outcomes = await Task.WhenAll(document.Blobs.Select(blob =>
                run.Blobs.CopyAsync(from, source.Repository, to, destination.Repository, blob.ParsedDigest, blob.Size, cancellationToken,
                    expectPresent: true)));
            foreach (var (outcome, blob) in outcomes.Zip(document.Blobs))
            {
                if (outcome == BlobCopyOutcome.Uploaded) Interlocked.Increment(ref run.Uploaded);
                else if (outcome == BlobCopyOutcome.Mounted) Interlocked.Increment(ref run.Mounted);
                Written(outcome, blob.Size);
            }
        })).Value;
    }
}
