namespace Promoter.PullRequests;

/// <summary>
/// One digest of a staging repository to add to a thin manifest's <c>images.yaml</c>, with the tags it gets there (none:
/// promoted by digest only).
/// </summary>
/// <param name="Image">The image name below the staging repository (and below every destination), e.g. <c>golden-foo/foo</c>.</param>
/// <param name="Digest">The manifest digest, <c>sha256:</c> + 64 hex.</param>
/// <param name="Tags">The tags, in the order they were asked for.</param>
public sealed record StagedImage(string Image, string Digest, IReadOnlyList<string> Tags)
{
    /// <summary><c>image@digest</c>, for messages.</summary>
    public override string ToString() => $"{Image}@{Digest}" + (Tags.Count > 0 ? $" ({string.Join(", ", Tags)})" : "");
}

/// <summary>What a pull request does with one (image, tag) or tagless (image, digest) it was asked for.</summary>
public enum EntryDecisionKind
{
    /// <summary>Not in the file: the edit adds it.</summary>
    Add,

    /// <summary>Already in the file on the same digest: nothing to add.</summary>
    AlreadyPresent,

    /// <summary>The file has the tag on another digest: adding it would move a tag; the whole pull request is refused.</summary>
    RefusedTagMove,
}

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
