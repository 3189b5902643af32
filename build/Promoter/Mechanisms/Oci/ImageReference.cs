using System.Text.RegularExpressions;

namespace Promoter.Oci;

/// <summary>
/// A reference <c>registry/repository[:tag][@digest]</c> (the grammar of distribution's reference package:
/// the first path component is the registry when it holds a '.' or ':' or is <c>localhost</c>).
/// </summary>
/// <param name="Registry">Host and optional port, e.g. <c>127.0.0.1:5000</c>.</param>
/// <param name="Repository">The repository path, e.g. <c>library/foo</c>.</param>
/// <param name="Tag">The tag, or null.</param>
/// <param name="Digest">The digest, or null.</param>
public sealed partial record ImageReference(string Registry, string Repository, string? Tag = null, Digest? Digest = null)
{
    /// <summary>The repository with its registry, e.g. <c>127.0.0.1:5000/library/foo</c>.</summary>
    public string Name => $"{Registry}/{Repository}";

    /// <summary>Digest if present, otherwise tag: what a manifest request names.</summary>
    public string ManifestReference => Digest?.Value ?? Tag ?? throw new InvalidOperationException($"{this} names neither a tag nor a digest.");

    /// <summary>The same repository at another tag (no digest).</summary>
    public ImageReference WithTag(string tag) => this with { Tag = tag, Digest = null };

    /// <summary>The same repository at a digest (no tag).</summary>
    public ImageReference WithDigest(Digest digest) => this with { Tag = null, Digest = digest };

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="FormatException">No registry component, an invalid repository path, tag or digest.</exception>
    public static ImageReference Parse(string text)
    {
        var rest = text;
        var firstSlash = rest.IndexOf('/');
        if (rest.IndexOf('@') is >= 0 and var userInfo && (firstSlash < 0 || userInfo < firstSlash))
            throw new FormatException($"'{RegistryHost.Redact(text)}': the registry part holds user-info ('@'); credentials belong in docker's config.json.");
        Digest? digest = null;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            if (!Oci.Digest.TryParse(rest[(at + 1)..], out var d))
                throw new FormatException($"'{text}': the part after '@' is not a sha256 digest.");
            digest = d;
            rest = rest[..at];
        }
        var slash = rest.IndexOf('/');
        if (slash <= 0)
            throw new FormatException($"'{text}': expected registry/repository[:tag][@digest].");
        var registry = rest[..slash];
        if (!(registry.Contains('.') || registry.Contains(':') || registry == "localhost"))
            throw new FormatException($"'{RegistryHost.Redact(text)}': '{RegistryHost.Redact(registry)}' is not a registry host (expected a host with '.' or ':' or localhost).");
        if (!RegistryHost.TryParse(registry, out var host, out var hostError))
            throw new FormatException($"'{RegistryHost.Redact(text)}': {hostError}");
        registry = host.ToString();
        var path = rest[(slash + 1)..];
        string? tag = null;
        var colon = path.LastIndexOf(':');
        if (colon >= 0)
        {
            tag = path[(colon + 1)..];
            path = path[..colon];
            if (!TagPattern().IsMatch(tag))
                throw new FormatException($"'{text}': tag '{tag}' is invalid (expected [A-Za-z0-9_][A-Za-z0-9_.-]{{0,127}}).");
        }
        if (RepositoryName.Problem(path) is { } problem)
            throw new FormatException($"'{text}': repository '{path}' is invalid: {problem}.");
        return new ImageReference(registry, path, tag, digest);
    }

    /// <summary>True when <paramref name="tag"/> is a valid tag (<c>^\w[\w.-]{0,127}$</c>, ASCII).</summary>
    public static bool IsValidTag(string tag) => TagPattern().IsMatch(tag);

    /// <inheritdoc />
    public override string ToString() =>
        Name + (Tag is null ? "" : ":" + Tag) + (Digest is { } d ? "@" + d.Value : "");

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();
}
