using System.Globalization;
using Promoter.Inputs;
using Promoter.Yaml;

namespace Promoter.Registry;

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
