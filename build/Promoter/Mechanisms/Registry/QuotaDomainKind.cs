namespace Promoter.Registry;

/// <summary>What kind of quota a <see cref="QuotaDomainKey"/> stands for.</summary>
public enum QuotaDomainKind
{
    /// <summary>A domain of a <c>--quota-domains</c> file.</summary>
    Declared,

    /// <summary>Every <c>*-docker.pkg.dev</c> host of one Google project (Artifact Registry's quota is per project).</summary>
    ArtifactRegistry,

    /// <summary><c>gcr.io</c> and every <c>*.gcr.io</c> host of one Google project.</summary>
    ContainerRegistry,

    /// <summary>One host as contacted (<c>host[:port]</c>): what nothing else claims.</summary>
    Host,
}
