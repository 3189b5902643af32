namespace Promoter.Promotion.Engine;

/// <summary>What a running promotion had done at one moment (<see cref="PromotionProgress.Snapshot"/>).</summary>
/// <param name="Phase">The phase in progress (or just ended, when <paramref name="Ended"/>).</param>
/// <param name="Done">Units done in this phase: plan, edges decided; execute, edges written (see <see cref="PromotionProgress"/>).</param>
/// <param name="Total">Units this phase has to do (0 until known).</param>
/// <param name="Manifests">Manifests put by digest since the run started.</param>
/// <param name="Blobs">Blobs uploaded or mounted since the run started.</param>
/// <param name="Bytes">Bytes uploaded since the run started.</param>
/// <param name="Requests">Requests the run's registry clients sent since the phase started (retries and auth challenges included).</param>
/// <param name="Elapsed">Time since the phase started.</param>
/// <param name="Ended">True once the phase has ended.</param>
public sealed record PromotionProgressSnapshot(PromotionPhase Phase, long Done, long Total, long Manifests, long Blobs, long Bytes,
    long Requests, TimeSpan Elapsed, bool Ended);
