using Promoter.Oci;

namespace Promoter.Registry;

/// <summary>
/// One entry of <c>hosts:</c>: a host glob (<c>*</c> any run of characters, <c>?</c> one character, anything else itself;
/// without a port it
/// matches the host on any port, with one only that port), optionally followed by <c>/</c> and a repository path prefix
/// matched on whole path components (<c>a/b</c> covers <c>a/b</c> and <c>a/b/c</c>, not <c>a/bc</c>).
/// </summary>
/// <param name="HostGlob">The host glob, lower-cased.</param>
/// <param name="PathPrefix">The repository path prefix, or null for every repository (and requests naming none).</param>
public sealed record HostPattern(string HostGlob, string? PathPrefix)
{
    /// <summary>Parses <c>glob</c> or <c>glob/path-prefix</c>.</summary>
    /// <exception cref="FormatException">An empty glob, a character a host cannot hold, or a prefix that is not a repository path.</exception>
    public static HostPattern Parse(string text)
    {
        var slash = text.IndexOf('/');
        var glob = (slash < 0 ? text : text[..slash]).ToLowerInvariant();
        if (glob.Length == 0)
            throw new FormatException($"'{text}' has no host glob (expected a host glob such as *-docker.pkg.dev or 127.0.0.2, optionally /path-prefix).");
        if (!glob.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '*' or '?' or '[' or ']'))
            throw new FormatException($"'{text}': the host glob '{glob}' holds a character a host cannot (expected letters, digits, '.', '-', ':', '*', '?', and brackets around an IPv6 address).");
        string? prefix = null;
        if (slash >= 0)
        {
            prefix = text[(slash + 1)..];
            if (RepositoryName.Problem(prefix) is { } problem)
                throw new FormatException($"'{text}': the path prefix '{prefix}' is not a repository path ({problem}).");
        }
        return new HostPattern(glob, prefix);
    }

    /// <summary>True when <paramref name="host"/> (<c>host[:port]</c> as contacted) and <paramref name="repository"/> (null
    /// for a request naming none: a ping, the catalog) fall under this pattern.</summary>
    public bool Matches(string host, string? repository)
    {
        if (PathPrefix is { } prefix && (repository is null || !(repository == prefix || repository.StartsWith(prefix + "/", StringComparison.Ordinal))))
            return false;
        var lowered = host.ToLowerInvariant();
        if (Glob.Matches(HostGlob, lowered)) return true;
        // A glob without a port matches the host on any port.
        var namesPort = HostGlob.StartsWith('[') ? HostGlob.Contains("]:", StringComparison.Ordinal) : HostGlob.Contains(':');
        return !namesPort && QuotaDomains.HostName(lowered) is var name && name != lowered && Glob.Matches(HostGlob, name);
    }

    /// <inheritdoc />
    public override string ToString() => PathPrefix is null ? HostGlob : $"{HostGlob}/{PathPrefix}";
}
