namespace Promoter.Inputs;

/// <summary>A symbolic link a <see cref="ConfinedDirectory"/> did not follow, and why.</summary>
/// <param name="Link">The link, as a path under the directory as it was named (e.g. <c>thin/manifests/foo</c>).</param>
/// <param name="Target">The link's target text, as <c>readlink</c> gives it.</param>
/// <param name="Reason">Why it was not followed, e.g. <c>a symbolic link to '/etc' (/etc), which leaves thin; not followed</c>.</param>
public sealed record LinkProblem(string Link, string Target, string Reason)
{
    /// <summary><c>link: reason</c>.</summary>
    public override string ToString() => $"{Link}: {Reason}";
}
