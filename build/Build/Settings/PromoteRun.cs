namespace Build.Settings;

/// <summary>How a promotion runs: the policy's switches.</summary>
/// <param name="Confirm">Write (<c>--confirm</c> or <c>--dry-run=false</c>); else a dry run.</param>
/// <param name="AllowTagMoves">Move tags that point at other digests.</param>
/// <param name="Threads">Registry operations at once, 1 to 256.</param>
/// <param name="IsolateEdges">Promote every clean edge and refuse (and fail on) the others.</param>
/// <param name="RequireSource">A lost source digest refuses its edge.</param>
/// <param name="VerifyDestination">Also check what is already promoted.</param>
/// <param name="UseServiceAccount">Impersonate each Google registry's service account.</param>
public sealed record PromoteRun(bool Confirm, bool AllowTagMoves, int Threads, bool IsolateEdges, bool RequireSource, bool VerifyDestination,
    bool UseServiceAccount);
