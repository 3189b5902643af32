using System.Globalization;
using Promoter.Inputs;
using Promoter.Oci;
using Promoter.Yaml;

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

/// <summary>
/// The quota domain a request counts against: requests of one domain share one rate limit and one cool-down
/// (<see cref="RegistryTransport"/>).
/// </summary>
/// <param name="Name">The domain's name, e.g. <c>fleet</c> (declared), <c>pkg.dev project k8s-artifacts-prod</c>,
/// <c>gcr.io project k8s-artifacts-prod</c>, or the host itself.</param>
/// <param name="Kind">What kind of domain it is.</param>
/// <param name="Declared">The declaration for <see cref="QuotaDomainKind.Declared"/>; null otherwise.</param>
public sealed record QuotaDomainKey(string Name, QuotaDomainKind Kind, QuotaDomain? Declared = null)
{
    /// <inheritdoc />
    public override string ToString() => Name;
}

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

/// <summary>Shell-style globs over host names: <c>*</c> any run of characters (dots included), <c>?</c> exactly one.</summary>
public static class Glob
{
    /// <summary>True when <paramref name="text"/> matches <paramref name="pattern"/> whole (ordinal; callers lower-case both).</summary>
    public static bool Matches(string pattern, string text)
    {
        // Iterative match with one backtrack point (the last '*'): linear for hosts, no recursion.
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}

/// <summary>One domain of a <c>--quota-domains</c> file.</summary>
/// <param name="Name">Its name (unique in the file).</param>
/// <param name="Hosts">The hosts (and repository prefixes) that share its quota.</param>
/// <param name="RequestsPerSecond">At most this many requests in any second; null for the run's
/// <c>--max-requests-per-second</c>; 0 for no per-second limit.</param>
/// <param name="RequestsPerMinute">At most this many requests in any minute; null (or 0) for none.</param>
/// <param name="Line">The line of the declaration, for messages.</param>
public sealed record QuotaDomain(string Name, IReadOnlyList<HostPattern> Hosts, int? RequestsPerSecond, int? RequestsPerMinute, int Line = 0);

/// <summary>
/// Which requests share a quota. A request is keyed by the host contacted and the repository it names: the first
/// declared domain (<c>--quota-domains</c> file, in file order) with a matching <see cref="HostPattern"/>; else the built-in
/// Google domains (every <c>*-docker.pkg.dev</c> host of one project, the project being the repository's first path
/// component; <c>gcr.io</c> and every <c>*.gcr.io</c> host of one project, a domain-scoped project <c>example.com/proj</c>
/// counting its two components); else the host alone. A request naming no repository (ping, catalog) to a Google host is
/// keyed by its host. Pure: no I/O except <see cref="Load"/>.
/// </summary>
public sealed class QuotaDomains
{
    /// <summary>No declared domain: only the built-in rules.</summary>
    public static QuotaDomains BuiltIn { get; } = new([]);

    /// <summary>The rules with <paramref name="declared"/> tried first, in order.</summary>
    public QuotaDomains(IReadOnlyList<QuotaDomain> declared) => Declared = declared;

    /// <summary>The declared domains, in file order.</summary>
    public IReadOnlyList<QuotaDomain> Declared { get; }

    /// <summary>The domain of a request to <paramref name="host"/> (<c>host[:port]</c> as contacted) about
    /// <paramref name="repository"/> (null when the request names none).</summary>
    public QuotaDomainKey KeyOf(string host, string? repository)
    {
        foreach (var domain in Declared)
            if (domain.Hosts.Any(h => h.Matches(host, repository)))
                return new QuotaDomainKey(domain.Name, QuotaDomainKind.Declared, domain);
        var name = HostName(host.ToLowerInvariant());
        if (repository is { Length: > 0 })
        {
            if (name.EndsWith("-docker.pkg.dev", StringComparison.Ordinal))
                return new QuotaDomainKey($"pkg.dev project {FirstComponent(repository)}", QuotaDomainKind.ArtifactRegistry);
            if (name == "gcr.io" || name.EndsWith(".gcr.io", StringComparison.Ordinal))
                return new QuotaDomainKey($"gcr.io project {GcrProject(repository)}", QuotaDomainKind.ContainerRegistry);
        }
        return new QuotaDomainKey(host.ToLowerInvariant(), QuotaDomainKind.Host);
    }

    /// <summary>The host part of <c>host[:port]</c> (an IPv6 address keeps its brackets), lower-cased by the caller.</summary>
    internal static string HostName(string host)
    {
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']');
            return close < 0 ? host : host[..(close + 1)];
        }
        var colon = host.LastIndexOf(':');
        return colon < 0 ? host : host[..colon];
    }

    private static string FirstComponent(string repository) => repository.Split('/')[0];

    /// <summary>gcr.io's project: the first component, or the first two for a domain-scoped project
    /// (<c>gcr.io/example.com/project/image</c>; a project id holds no '.').</summary>
    private static string GcrProject(string repository)
    {
        var parts = repository.Split('/');
        return parts[0].Contains('.') && parts.Length > 2 ? $"{parts[0]}/{parts[1]}" : parts[0];
    }

    /// <summary>Reads a <c>--quota-domains</c> file through the input gate.</summary>
    /// <exception cref="InputFormatException">Not YAML, or a field missing or malformed (<c>file:line: field: message</c>, every problem).</exception>
    /// <exception cref="InputFileException">The file is missing, not a regular file, or too large.</exception>
    public static QuotaDomains Load(string path) => Parse(InputFile.ReadAllText(path), path);

    /// <summary>
    /// Parses <c>domains: [{name, hosts: [glob or glob/path-prefix], requestsPerSecond, requestsPerMinute}]</c>. Names
    /// are unique; every domain lists at least one host; rates are whole numbers, 0 or more.
    /// </summary>
    /// <exception cref="InputFormatException">Every problem, each <c>file:line: field: message</c>.</exception>
    public static QuotaDomains Parse(string yaml, string file)
    {
        var root = YamlTree.Parse(yaml, file, namePaths: true);
        var d = new YamlDecoder(file);
        var top = d.RequiredMapping(root, "", "domains");
        if (top is null)
        {
            if (root is null || d.Errors.Count == 0) d.Error(root, "(document)", "expected a mapping with the key domains");
            d.ThrowIfAny();
        }
        var items = d.Sequence(top!.Get("domains"), "domains");
        if (items.Count == 0) d.Error(top.Get("domains") ?? top, "domains", "must list at least one domain (- name: ..., hosts: [...])");
        var domains = new List<QuotaDomain>();
        for (var i = 0; i < items.Count; i++)
        {
            var field = YamlDecoder.Index("domains", i);
            var map = d.RequiredMapping(items[i], field, "name", "hosts", "requestsPerSecond", "requestsPerMinute");
            if (map is null) continue;
            var name = d.String(map.Get("name"), field + ".name");
            if (name is null) d.Error(map, field + ".name", "is required (the domain's name, e.g. artifact-registry-prod)");
            else if (name.Trim().Length == 0) d.Error(map.Get("name"), field + ".name", "must not be empty");
            else if (domains.FirstOrDefault(x => x.Name == name) is { } other)
                d.Error(map.Get("name"), field + ".name", $"'{name}' is also the name of the domain at line {other.Line}; expected unique names");
            var hosts = new List<HostPattern>();
            var hostNodes = d.Sequence(map.Get("hosts"), field + ".hosts");
            if (hostNodes.Count == 0) d.Error(map.Get("hosts") ?? map, field + ".hosts", "must list at least one host glob (e.g. *-docker.pkg.dev/my-project)");
            for (var h = 0; h < hostNodes.Count; h++)
            {
                var hostField = YamlDecoder.Index(field + ".hosts", h);
                if (d.String(hostNodes[h], hostField) is not { } text) continue;
                try { hosts.Add(HostPattern.Parse(text)); }
                catch (FormatException e) { d.Error(hostNodes[h], hostField, e.Message); }
            }
            var perSecond = Rate(d, map.Get("requestsPerSecond"), field + ".requestsPerSecond");
            var perMinute = Rate(d, map.Get("requestsPerMinute"), field + ".requestsPerMinute");
            if (name is { Length: > 0 } && name.Trim().Length > 0 && hosts.Count > 0)
                domains.Add(new QuotaDomain(name, hosts, perSecond, perMinute, items[i].Line));
        }
        d.ThrowIfAny();
        return new QuotaDomains(domains);
    }

    private static int? Rate(YamlDecoder d, YNode? node, string field)
    {
        if (d.String(node, field) is not { } text) return null;
        if (node is YScalar { Style: YamlDotNet.Core.ScalarStyle.Plain }
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= 10_000_000)
            return value;
        d.Error(node, field, $"expected a whole number of requests, 0 to 10000000, found {YamlDecoder.Describe(node!)}");
        return null;
    }
}
