namespace Build.Tools.Git;

// The results of the aliases in GitAliases.cs, shaped (names and members) as Cake.Git's types of the same names.

/// <summary>Which references <see cref="GitAliases.GitDescribe(Cake.Core.ICakeContext, Cake.Core.IO.DirectoryPath, GitDescribeStrategy)"/> may name.</summary>
public enum GitDescribeStrategy
{
    /// <summary>Annotated tags only (<c>git describe</c>).</summary>
    Default,

    /// <summary>Every tag, lightweight ones too (<c>git describe --tags</c>).</summary>
    Tags,

    /// <summary>Every reference: tags and branches (<c>git describe --all</c>).</summary>
    All,
}
