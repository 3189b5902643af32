using Promoter.Oci;

namespace Promoter.Registry;

/// <summary>
/// A registry name split into its host and its repository path prefix (<c>manifests/README.md</c> §1
/// "Mapping"): <c>127.0.0.1:5000/k8s-staging/library</c> is host <c>127.0.0.1:5000</c> and prefix
/// <c>k8s-staging/library</c>; image <c>foo</c> then lives in repository <c>k8s-staging/library/foo</c>.
/// </summary>
/// <param name="Host">The registry host and optional port, as <see cref="RegistryHost"/> writes it (names lower-cased).</param>
/// <param name="Prefix">The repository path prefix, without leading or trailing '/'; empty for a bare host.</param>
public sealed record RegistryPath(string Host, string Prefix)
{
    /// <summary>
    /// Splits <paramref name="registryName"/> at its first '/': the host must follow the reference grammar
    /// (<see cref="RegistryHost"/>: no user-info, scheme, query), the prefix the repository-name grammar
    /// (<see cref="RepositoryName"/>).
    /// </summary>
    /// <exception cref="FormatException">The name is empty, its host is not a host[:port], or its prefix is not a repository path;
    /// the message quotes the name with any user-info redacted.</exception>
    public static RegistryPath Parse(string registryName) =>
        TryParse(registryName, out var path, out var error) ? path : throw new FormatException(error);

    /// <summary>As <see cref="Parse"/>, without throwing.</summary>
    /// <param name="registryName">The text to parse.</param>
    /// <param name="path">The path, or null.</param>
    /// <param name="error">Why the text is not a registry name (user-info redacted), or null.</param>
    public static bool TryParse(string? registryName, out RegistryPath path, out string? error)
    {
        path = null!;
        if (string.IsNullOrEmpty(registryName))
        {
            error = "A registry name must not be empty (expected host[:port][/prefix]).";
            return false;
        }
        var slash = registryName.IndexOf('/');
        var hostText = slash < 0 ? registryName : registryName[..slash];
        if (!RegistryHost.TryParse(hostText, out var host, out error))
        {
            error = $"'{RegistryHost.Redact(registryName)}' is not a registry name: {error}";
            return false;
        }
        var prefix = slash < 0 ? "" : registryName[(slash + 1)..];
        if (slash >= 0 && RepositoryName.Problem(prefix) is { } problem)
        {
            error = $"'{registryName}' is not a registry name: its path '{prefix}' is not a repository path ({problem}); expected host[:port][/prefix].";
            return false;
        }
        path = new RegistryPath(host.ToString(), prefix);
        return true;
    }

    /// <summary>The parsed host (for loopback and identity checks).</summary>
    public RegistryHost ParsedHost => RegistryHost.Parse(Host);

    /// <summary>
    /// True when this path and <paramref name="other"/> can name the same repositories: the hosts have one
    /// <see cref="RegistryHost.Identity"/> (every loopback spelling is one host) and one prefix is the other or a parent
    /// of it (path components compared whole: <c>a/b</c> contains <c>a/b/c</c>, not <c>a/bc</c>).
    /// </summary>
    public bool Overlaps(RegistryPath other) => Contains(other) || other.Contains(this);

    /// <summary>
    /// True when every repository under <paramref name="other"/> is under this path: the hosts have one
    /// <see cref="RegistryHost.Identity"/> and this prefix is <paramref name="other"/>'s or a parent of it (whole components).
    /// </summary>
    public bool Contains(RegistryPath other) =>
        ParsedHost.Identity == other.ParsedHost.Identity && IsWithin(other.Prefix, Prefix);

    private static bool IsWithin(string inner, string outer) =>
        outer.Length == 0 || inner == outer || inner.StartsWith(outer + "/", StringComparison.Ordinal);

    /// <summary>The repository of <paramref name="image"/> under this registry: <c>Prefix/image</c>, or <c>image</c> for a bare host.</summary>
    public string RepositoryFor(string image) => Prefix.Length == 0 ? image : $"{Prefix}/{image}";

    /// <summary>A reference to <paramref name="image"/> in this registry, with a tag and/or digest.</summary>
    public ImageReference ReferenceFor(string image, string? tag = null, Digest? digest = null) =>
        new(Host, RepositoryFor(image), tag, digest);

    /// <inheritdoc />
    public override string ToString() => Prefix.Length == 0 ? Host : $"{Host}/{Prefix}";
}
