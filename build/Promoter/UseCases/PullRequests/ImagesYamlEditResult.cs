namespace Promoter.PullRequests;

/// <summary>The edited <c>images.yaml</c> and what the edit decided.</summary>
/// <param name="Text">The new text (the old text unchanged when nothing is added or something is refused).</param>
/// <param name="Decisions">One decision per (image, tag) or tagless (image, digest) asked for, in the order asked.</param>
/// <param name="Diff">The unified diff from the old text to <paramref name="Text"/> (empty when they are equal).</param>
public sealed record ImagesYamlEditResult(string Text, IReadOnlyList<EntryDecision> Decisions, string Diff)
{
    /// <summary>The entries added by the edit.</summary>
    public IReadOnlyList<EntryDecision> Added => Decisions.Where(d => d.Kind == EntryDecisionKind.Add).ToList();

    /// <summary>The entries already in the file.</summary>
    public IReadOnlyList<EntryDecision> AlreadyPresent => Decisions.Where(d => d.Kind == EntryDecisionKind.AlreadyPresent).ToList();

    /// <summary>The refused entries (tag moves); when there is one, nothing is edited.</summary>
    public IReadOnlyList<EntryDecision> Refused => Decisions.Where(d => d.Kind == EntryDecisionKind.RefusedTagMove).ToList();
}
