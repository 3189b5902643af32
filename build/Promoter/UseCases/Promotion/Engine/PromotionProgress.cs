using System.Diagnostics;

namespace Promoter.Promotion.Engine;

/// <summary>
/// What a running promotion has done so far, read at any moment with <see cref="Snapshot"/>: the phase, its units done of
/// its total (plan: destination references decided, one per edge; execute: edges written), manifests put, blobs written,
/// bytes uploaded and requests sent. The pipeline feeds it (<see cref="PromotionPolicy.Progress"/>); a display polls it.
/// Thread-safe: the planner and the executor report from many threads at once.
/// </summary>
/// <remarks>
/// An executed edge is a copy, a tag, or both. So that the count moves during the copies (which take most of the time)
/// and not only once the tags are written, an edge with both counts half when its copy is done and whole when its tag is;
/// an edge with one of them counts whole when that one is done. Tags of attachment manifests the run builds itself
/// belong to no edge and move nothing.
/// </remarks>
public sealed class PromotionProgress
{
    private readonly Lock _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<PhaseTiming> _timings = [];
    private Func<long> _requests = () => 0;
    private PromotionPhase? _phase;
    private TimeSpan _phaseStart;
    private long _requestsAtStart;
    private bool _phaseEnded;
    private long _halves, _totalHalves, _manifests, _blobs, _bytes;
    private Dictionary<CopyJob, int> _copyHalves = [];
    private Dictionary<TagJob, int> _tagHalves = [];

    /// <summary>Called (on the pipeline's thread) when a phase has ended, with the phase's last snapshot.</summary>
    public Action<PromotionProgressSnapshot>? PhaseEnded { get; set; }

    /// <summary>The phases that ended so far, in order, with how long each took.</summary>
    public IReadOnlyList<PhaseTiming> Timings
    {
        get { lock (_gate) return _timings.ToList(); }
    }

    /// <summary>Bytes of blobs uploaded so far (a mount or a blob already there moves none).</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Where the request count comes from (the run's registry clients); set by the pipeline when it starts.</summary>
    internal void CountRequestsWith(Func<long> requests) => _requests = requests;

    /// <summary>A phase starts: its counts start at 0 of 0.</summary>
    internal void Started(PromotionPhase phase)
    {
        lock (_gate)
        {
            _phase = phase;
            _phaseStart = _clock.Elapsed;
            _requestsAtStart = _requests();
            _phaseEnded = false;
            Interlocked.Exchange(ref _halves, 0);
            Interlocked.Exchange(ref _totalHalves, 0);
        }
    }

    /// <summary>The phase in progress has <paramref name="units"/> units to do (plan: edges to decide).</summary>
    internal void Expect(long units) => Interlocked.Exchange(ref _totalHalves, 2 * units);

    /// <summary><paramref name="edges"/> more edges were decided by the plan.</summary>
    internal void Decided(int edges) => Interlocked.Add(ref _halves, 2L * edges);

    /// <summary>
    /// The execute phase is about to run <paramref name="plan"/>: every edge that writes is a unit, credited by
    /// <see cref="Copied"/> and <see cref="Tagged"/> as the remarks of the class say.
    /// </summary>
    internal void Expect(PromotionPlan plan)
    {
        var copies = new Dictionary<CopyJob, int>();
        var tags = new Dictionary<TagJob, int>();
        var edges = 0;
        foreach (var planned in plan.Edges)
        {
            if (!planned.Writes) continue;
            var edge = planned.Edge;
            var copy = !planned.DigestInDestination;
            var tag = edge.Tag is not null;
            var share = copy && tag ? 1 : 2;
            var digest = Oci.Digest.Parse(edge.Digest);
            if (copy)
            {
                var job = new CopyJob(edge.SourceReference(), edge.DestinationReference().WithDigest(digest));
                copies[job] = copies.GetValueOrDefault(job) + share;
            }
            if (tag)
            {
                var job = new TagJob(edge.DestinationReference(), digest, planned.CurrentDigest);
                tags[job] = tags.GetValueOrDefault(job) + share;
            }
            edges++;
        }
        lock (_gate)
        {
            _copyHalves = copies;
            _tagHalves = tags;
        }
        Interlocked.Exchange(ref _totalHalves, 2L * edges);
    }

    /// <summary>A copy of the plan is done (its manifest is in the destination).</summary>
    internal void Copied(CopyJob job)
    {
        int share;
        lock (_gate) share = _copyHalves.GetValueOrDefault(job);
        Interlocked.Add(ref _halves, share);
    }

    /// <summary>A tag of the plan is written (or found written by another run).</summary>
    internal void Tagged(TagJob job)
    {
        int share;
        lock (_gate) share = _tagHalves.GetValueOrDefault(job);
        Interlocked.Add(ref _halves, share);
    }

    /// <summary>A manifest was put by digest.</summary>
    internal void ManifestPut() => Interlocked.Increment(ref _manifests);

    /// <summary>A blob went into a destination: uploaded (<paramref name="uploadedBytes"/> bytes) or mounted (0).</summary>
    internal void BlobWritten(long uploadedBytes)
    {
        Interlocked.Increment(ref _blobs);
        if (uploadedBytes > 0) Interlocked.Add(ref _bytes, uploadedBytes);
    }

    /// <summary>The phase in progress ended (successfully or not): its timing is kept and <see cref="PhaseEnded"/> called.</summary>
    internal void Ended()
    {
        PromotionProgressSnapshot last;
        lock (_gate)
        {
            if (_phase is not { } phase || _phaseEnded) return;
            _phaseEnded = true;
            _timings.Add(new PhaseTiming(phase, _clock.Elapsed - _phaseStart));
            last = SnapshotLocked();
        }
        PhaseEnded?.Invoke(last);
    }

    /// <summary>The counts now; null before the first phase starts.</summary>
    public PromotionProgressSnapshot? Snapshot()
    {
        lock (_gate) return _phase is null ? null : SnapshotLocked();
    }

    private PromotionProgressSnapshot SnapshotLocked() => new(
        _phase!.Value, Interlocked.Read(ref _halves) / 2, Interlocked.Read(ref _totalHalves) / 2,
        Interlocked.Read(ref _manifests), Interlocked.Read(ref _blobs), Interlocked.Read(ref _bytes), _requests() - _requestsAtStart,
        _clock.Elapsed - _phaseStart, _phaseEnded);
}
