namespace Promoter.PullRequests;

/// <summary>The decision for one entry a pull request was asked for.</summary>
/// <param name="Image">The image name.</param>
/// <param name="Digest">The digest asked for.</param>
/// <param name="Tag">The tag asked for, or null for a tagless entry.</param>
/// <param name="Kind">Add, already present, or refused.</param>
/// <param name="ExistingDigest">For <see cref="EntryDecisionKind.RefusedTagMove"/>: the digest the file already gives the tag.</param>
public sealed record EntryDecision(string Image, string Digest, string? Tag, EntryDecisionKind Kind, string? ExistingDigest = null)
{
    /// <summary>One line: <c>ADD  image:tag -> digest</c>, <c>ALREADY image:tag -> digest</c> or <c>REFUSED tag move: ...</c>.</summary>
    public override string ToString() => Kind switch
    {
        EntryDecisionKind.Add => $"ADD      {Image}{Shown(Tag)} -> {Digest}",
        EntryDecisionKind.AlreadyPresent => $"ALREADY  {Image}{Shown(Tag)} -> {Digest}",
        _ => $"REFUSED tag move: {Image}:{Tag} is {ExistingDigest} in the file; staging has it on {Digest}",
    };

    private static string Shown(string? tag) => tag is null ? " (by digest)" : $":{tag}";
}
