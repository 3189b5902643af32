namespace Promoter.Releases;

/// <summary>What a build does for a commit range, gate by gate.</summary>
/// <param name="Range">The range decided on.</param>
/// <param name="DiffBase">The commit the changes were diffed against: the merge base of the range's base and head
/// (the base itself when it is an ancestor of the head), or null for a root commit.</param>
/// <param name="ChangedFiles">The paths changed between <paramref name="DiffBase"/> and the head.</param>
/// <param name="Changes">The classification of <paramref name="ChangedFiles"/>.</param>
/// <param name="Version">The version in VERSION at the head when it parsed (pre-releases included), else null.</param>
/// <param name="PreviousVersion">The version in VERSION at the range base when it parsed, else null.</param>
/// <param name="BuildImages">Whether images are built.</param>
/// <param name="PushImages">Whether built images are pushed.</param>
/// <param name="PromoteRelease">Whether the release is promoted and tagged <c>v&lt;version&gt;</c>.</param>
public sealed record ReleaseDecision(
    CommitRange Range,
    string? DiffBase,
    IReadOnlyList<string> ChangedFiles,
    ChangeKind Changes,
    ReleaseVersion? Version,
    ReleaseVersion? PreviousVersion,
    GateDecision BuildImages,
    GateDecision PushImages,
    GateDecision PromoteRelease)
{
    /// <summary>A few lines for the build log: the range, its changes and each gate with its reason.</summary>
    public string Describe() =>
        $"Range {Range} ({Range.Origin}), {ChangedFiles.Count} changed file(s): {Changes}{Environment.NewLine}"
        + $"  BuildImages:    {BuildImages}{Environment.NewLine}"
        + $"  PushImages:     {PushImages}{Environment.NewLine}"
        + $"  PromoteRelease: {PromoteRelease}";
}
