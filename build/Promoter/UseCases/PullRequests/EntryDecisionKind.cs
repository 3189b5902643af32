namespace Promoter.PullRequests;

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
