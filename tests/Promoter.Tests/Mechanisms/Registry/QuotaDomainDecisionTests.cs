using FluentAssertions;
using Promoter.Registry;
using Promoter.Yaml;
using Xunit;

namespace Promoter.Tests.Registry;

/// <summary>
/// The pure parts of quota domains as decision tables: host globs, host patterns with path prefixes, the domain of a
/// request (host and repository), the limit a transport holds a domain to, and the strict reading of a
/// <c>--quota-domains</c> file. No registry.
/// </summary>
[Trait("Category", "Decisions")]
public sealed class QuotaDomainDecisionTests
{
    public static TheoryData<string, string, bool> Globs() => new()
    {
        { "gcr.io", "gcr.io", true },
        { "*.gcr.io", "us.gcr.io", true },
        { "*.gcr.io", "gcr.io", false },
        { "*-docker.pkg.dev", "us-docker.pkg.dev", true },
        { "*-docker.pkg.dev", "europe-west1-docker.pkg.dev", true },
        { "*-docker.pkg.dev", "docker.pkg.dev", false },
        { "127.0.0.?", "127.0.0.2", true },
        { "127.0.0.?", "127.0.0.12", false },
        { "127.0.0.*", "127.0.0.12", true },
        { "*", "anything.example", true },
        { "a*b*c", "axxbyyc", true },
        { "a*b*c", "axxbyy", false },
        { "", "", true },
        { "?", "", false },
    };

    [Theory]
    [MemberData(nameof(Globs))]
    public void A_glob_matches_the_whole_text(string pattern, string text, bool matches) =>
        Glob.Matches(pattern, text).Should().Be(matches);

    public static TheoryData<string, string, string?, bool> Patterns() => new()
    {
        // pattern, host as contacted, repository (null: the request names none), matches
        { "127.0.0.2", "127.0.0.2:5000", "a/b", true },
        { "127.0.0.2", "127.0.0.3:5000", "a/b", false },
        { "127.0.0.2:5000", "127.0.0.2:5000", null, true },
        { "127.0.0.2:5000", "127.0.0.2:5001", null, false },
        { "127.0.0.*:50??", "127.0.0.9:5012", null, true },
        { "US-Docker.pkg.dev", "us-docker.pkg.dev", "p/r", true },
        { "*-docker.pkg.dev/proj", "us-docker.pkg.dev", "proj", true },
        { "*-docker.pkg.dev/proj", "us-docker.pkg.dev", "proj/images/foo", true },
        { "*-docker.pkg.dev/proj", "us-docker.pkg.dev", "proj2/images/foo", false },
        { "*-docker.pkg.dev/proj", "us-docker.pkg.dev", null, false },
        { "*-docker.pkg.dev/proj/images", "us-docker.pkg.dev", "proj/images/foo", true },
        { "*-docker.pkg.dev/proj/images", "us-docker.pkg.dev", "proj/imagesx", false },
        { "[::1]", "[::1]:5000", "a", true },
    };

    [Theory]
    [MemberData(nameof(Patterns))]
    public void A_host_pattern_matches_the_host_on_any_port_unless_it_names_one_and_a_prefix_by_whole_components(
        string pattern, string host, string? repository, bool matches) =>
        HostPattern.Parse(pattern).Matches(host, repository).Should().Be(matches);

    [Theory]
    [InlineData("", "has no host glob")]
    [InlineData("/proj", "has no host glob")]
    [InlineData("ho st", "holds a character a host cannot")]
    [InlineData("host/UPPER", "is not a repository path")]
    [InlineData("host/a//b", "is not a repository path")]
    public void A_malformed_host_pattern_is_refused_saying_why(string pattern, string message) =>
        FluentActions.Invoking(() => HostPattern.Parse(pattern)).Should().Throw<FormatException>().WithMessage($"*{message}*");

    private static readonly QuotaDomains Fleet = new([
        new QuotaDomain("fleet", [HostPattern.Parse("127.0.0.2"), HostPattern.Parse("127.0.0.3")], 20, null),
        new QuotaDomain("prod-images", [HostPattern.Parse("*-docker.pkg.dev/k8s-artifacts-prod/images")], null, 6000),
    ]);

    public static TheoryData<string, string?, string, QuotaDomainKind> Keys() => new()
    {
        // host, repository, domain name, kind
        { "us-docker.pkg.dev", "k8s-artifacts-prod/images/pause", "prod-images", QuotaDomainKind.Declared },
        { "europe-docker.pkg.dev", "k8s-artifacts-prod/images/pause", "prod-images", QuotaDomainKind.Declared },
        { "us-docker.pkg.dev", "k8s-artifacts-prod/other/pause", "pkg.dev project k8s-artifacts-prod", QuotaDomainKind.ArtifactRegistry },
        { "asia-east1-docker.pkg.dev", "k8s-artifacts-prod/other/x", "pkg.dev project k8s-artifacts-prod", QuotaDomainKind.ArtifactRegistry },
        { "us-docker.pkg.dev", "another-project/r/x", "pkg.dev project another-project", QuotaDomainKind.ArtifactRegistry },
        { "us-docker.pkg.dev", null, "us-docker.pkg.dev", QuotaDomainKind.Host },
        { "gcr.io", "k8s-staging-foo/bar", "gcr.io project k8s-staging-foo", QuotaDomainKind.ContainerRegistry },
        { "us.gcr.io", "k8s-staging-foo/bar/baz", "gcr.io project k8s-staging-foo", QuotaDomainKind.ContainerRegistry },
        { "EU.GCR.IO", "k8s-staging-foo/bar", "gcr.io project k8s-staging-foo", QuotaDomainKind.ContainerRegistry },
        { "gcr.io", "example.com/proj/image", "gcr.io project example.com/proj", QuotaDomainKind.ContainerRegistry },
        { "gcr.io", "example.com/image", "gcr.io project example.com", QuotaDomainKind.ContainerRegistry },
        { "mygcr.io", "p/x", "mygcr.io", QuotaDomainKind.Host },
        { "registry.k8s.io", "pause", "registry.k8s.io", QuotaDomainKind.Host },
        { "127.0.0.2:5000", "a/b", "fleet", QuotaDomainKind.Declared },
        { "127.0.0.3:6000", null, "fleet", QuotaDomainKind.Declared },
        { "127.0.0.4:5000", "a/b", "127.0.0.4:5000", QuotaDomainKind.Host },
        { "docker.pkg.dev", "p/x", "docker.pkg.dev", QuotaDomainKind.Host },
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public void A_request_counts_against_the_first_declared_domain_else_its_google_project_else_its_host(
        string host, string? repository, string name, QuotaDomainKind kind)
    {
        var key = Fleet.KeyOf(host, repository);
        key.Name.Should().Be(name);
        key.Kind.Should().Be(kind);
    }

    public static TheoryData<string, string?, int, bool, int?, int?> Limits() => new()
    {
        // host, repository, --max-requests-per-second, limit loopback, per second, per minute
        { "127.0.0.2:5000", "a", 50, false, 20, null },
        { "127.0.0.2:5000", "a", 0, false, 20, null },
        { "us-docker.pkg.dev", "k8s-artifacts-prod/images/x", 50, false, 50, 6000 },
        { "us-docker.pkg.dev", "k8s-artifacts-prod/images/x", 0, false, null, 6000 },
        { "us-docker.pkg.dev", "p/x", 50, false, 50, null },
        { "us-docker.pkg.dev", "p/x", 0, false, null, null },
        { "127.0.0.9:5000", "a", 50, false, null, null },
        { "127.0.0.9:5000", "a", 50, true, 50, null },
        { "registry.example", "a", 7, false, 7, null },
    };

    [Theory]
    [MemberData(nameof(Limits))]
    public void A_domain_is_held_to_its_declared_rates_else_to_max_requests_per_second_and_loopback_hosts_alone_are_free(
        string host, string? repository, int maxPerSecond, bool limitLoopback, int? perSecond, int? perMinute)
    {
        using var transport = new RegistryTransport(new RegistryTransportOptions
        {
            MaxRequestsPerSecond = maxPerSecond,
            LimitLoopback = limitLoopback,
            Domains = Fleet,
        });
        var limit = transport.LimitOf(host, repository);
        limit.PerSecond.Should().Be(perSecond);
        limit.PerMinute.Should().Be(perMinute);
    }

    [Theory]
    [InlineData(20, null, 100, 5.0)]
    [InlineData(null, 600, 100, 10.0)]
    [InlineData(20, 600, 100, 10.0)]
    [InlineData(null, null, 100, 0.0)]
    public void The_time_a_budget_needs_is_set_by_the_slower_rate(int? perSecond, int? perMinute, long requests, double seconds) =>
        new QuotaLimit(new QuotaDomainKey("d", QuotaDomainKind.Declared), perSecond, perMinute).TimeFor(requests).TotalSeconds.Should().BeApproximately(seconds, 1e-9);

    [Fact]
    public void A_quota_domains_file_is_read_in_order_with_defaults_for_missing_rates()
    {
        var domains = QuotaDomains.Parse("""
            domains:
              - name: prod
                hosts: ["*-docker.pkg.dev/k8s-artifacts-prod", "127.0.0.2"]
                requestsPerSecond: 100
                requestsPerMinute: 5000
              - name: other
                hosts: [registry.example]
            """, "q.yaml");
        domains.Declared.Select(d => (d.Name, string.Join(",", d.Hosts), d.RequestsPerSecond, d.RequestsPerMinute, d.Line)).Should().Equal(
            ("prod", "*-docker.pkg.dev/k8s-artifacts-prod,127.0.0.2", 100, 5000, 2),
            ("other", "registry.example", (int?)null, (int?)null, 6));
    }

    public static TheoryData<string, string> BadFiles() => new()
    {
        { "", "q.yaml:1: (document): expected a mapping with the key domains" },
        { "domains: []", "q.yaml:1: domains: must list at least one domain" },
        { "domain: []", "q.yaml:1: domain: unknown key (expected one of: domains)" },
        { "domains:\n  - name: a\n", "q.yaml:2: domains[0].hosts: must list at least one host glob" },
        { "domains:\n  - hosts: [x]\n", "q.yaml:2: domains[0].name: is required" },
        { "domains:\n  - name: a\n    hosts: [x]\n    requestsPerSecond: -1\n", "q.yaml:4: domains[0].requestsPerSecond: expected a whole number of requests" },
        { "domains:\n  - name: a\n    hosts: [x]\n    requestsPerMinute: '5'\n", "q.yaml:4: domains[0].requestsPerMinute: expected a whole number of requests" },
        { "domains:\n  - name: a\n    hosts: [x]\n    burst: 5\n", "q.yaml:4: domains[0].burst: unknown key" },
        { "domains:\n  - name: a\n    hosts:\n      - ok\n      - 'b/Bad'\n", "q.yaml:5: domains[0].hosts[1]: 'b/Bad': the path prefix 'Bad' is not a repository path" },
        { "domains:\n  - name: a\n    hosts: [x]\n  - name: a\n    hosts: [y]\n", "q.yaml:4: domains[1].name: 'a' is also the name of the domain at line 2" },
        { "domains:\n  - name: a\n    hosts: x\n", "q.yaml:3: domains[0].hosts: expected a list" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void A_malformed_quota_domains_file_is_refused_naming_file_line_and_field(string yaml, string message) =>
        FluentActions.Invoking(() => QuotaDomains.Parse(yaml, "q.yaml")).Should().Throw<InputFormatException>().WithMessage($"*{message}*");
}
