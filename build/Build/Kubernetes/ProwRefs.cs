namespace Build.Kubernetes;

/// <summary>A repository a decorated job clones (<c>extra_refs</c>).</summary>
public sealed class ProwRefs
{
    /// <summary>The GitHub organisation.</summary>
    public string? Org { get; set; }

    /// <summary>The repository.</summary>
    public string? Repo { get; set; }

    /// <summary>The branch cloned.</summary>
    public string? BaseRef { get; set; }

    /// <summary>Clone into <c>$GOPATH/src/&lt;path_alias&gt;</c> instead of <c>org/repo</c>; unset here.</summary>
    public string? PathAlias { get; set; }
}
