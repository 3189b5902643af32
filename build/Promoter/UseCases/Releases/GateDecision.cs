namespace Promoter.Releases;

/// <summary>The decision on one gate.</summary>
/// <param name="Allowed">True when the step runs.</param>
/// <param name="Reason">One line saying why it runs or why it is refused.</param>
public sealed record GateDecision(bool Allowed, string Reason)
{
    /// <summary>For a refused <see cref="ReleaseDecision.PromoteRelease"/> gate: why, as a kind; <see cref="ReleaseRefusal.None"/> otherwise.</summary>
    public ReleaseRefusal Refusal { get; init; }

    /// <summary>
    /// True when the refusal is an error the release robot must see (a failed build), false when the gate is simply
    /// closed (nothing to release, or released already). See <see cref="ReleaseRefusal"/> for which is which.
    /// </summary>
    public bool IsFailure => Refusal is ReleaseRefusal.VersionDeleted or ReleaseRefusal.InvalidVersion
        or ReleaseRefusal.Prerelease or ReleaseRefusal.InvalidBaseVersion or ReleaseRefusal.NotGreater;

    /// <summary><c>yes: reason</c> or <c>no: reason</c>.</summary>
    public override string ToString() => (Allowed ? "yes: " : "no: ") + Reason;
}
