using System.Net;
using System.Text;
using FluentAssertions;
using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Promoter.Registry;
using Promoter.Tests.Promotion.Engine;
using Promoter.Tests.Support;
using Xunit;

namespace Promoter.Tests.Registry;

/// <summary>
/// Two real CNCF Distribution processes with <c>auth: htpasswd</c> (bcrypt, user <see cref="ConcurrentAuthTests.User"/>),
/// shared by the tests of <see cref="ConcurrentAuthTests"/>.
/// </summary>
public sealed class HtpasswdRegistries() : RegistryFixture(2, RegistryOptions.Basic(ConcurrentAuthTests.User, ConcurrentAuthTests.Password))
{
    /// <summary>The registry promoted from.</summary>
    public TestRegistry Source => this[0];

    /// <summary>The registry promoted to.</summary>
    public TestRegistry Destination => this[1];
}

/// <summary>
/// Fault suite, class "basic auth under concurrency": credentials from a docker config.json against htpasswd-protected
/// registries. Many requests at once cost one challenge per registry, after which every request carries the header;
/// an 8-thread promotion succeeds; refused credentials fail every request once, naming the user and never the password;
/// bearer tokens are fetched once per scope however many requests want one at the same time.
/// </summary>
public sealed class ConcurrentAuthTests(HtpasswdRegistries registries) : IClassFixture<HtpasswdRegistries>
{
    internal const string User = "robot";
    internal const string Password = "s3cret-pass";
    private static int _counter;

    private static string Unique(string prefix) => $"{prefix}-{Interlocked.Increment(ref _counter)}";

    private static RegistryClient Client(string host, string password = Password) => new(host, new RegistryClientOptions
    {
        Credential = new RegistryCredential(User, password),
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
    });

    /// <summary>A docker config.json holding basic auth (the <c>auth</c> field, base64 of user:password) for <paramref name="hosts"/>.</summary>
    private static DockerConfig Config(params string[] hosts)
    {
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
        var json = "{\"auths\":{" + string.Join(",", hosts.Select(h => $"\"{h}\":{{\"auth\":\"{auth}\"}}")) + "}}";
        return DockerConfig.Parse(json, "config.json");
    }

    [Fact]
    public async Task The_registry_challenges_with_Basic_and_takes_only_the_right_password()
    {
        using (var http = new HttpClient())
        using (var bare = await http.GetAsync($"http://{registries.Source.Host}/v2/"))
        {
            bare.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            bare.Headers.WwwAuthenticate.Should().ContainSingle().Which.Scheme.Should().Be("Basic");
        }
        using var right = Client(registries.Source.Host);
        await right.PingAsync();

        using var wrong = Client(registries.Source.Host, "wrong-guess");
        var refused = (await wrong.Invoking(c => c.PingAsync()).Should().ThrowAsync<RegistryException>()).Which;
        refused.Message.Should().Contain("refused the credentials of user 'robot' (password)").And.NotContain("wrong-guess");

        using var anonymous = new RegistryClient(registries.Source.Host);
        var missing = (await anonymous.Invoking(c => c.PingAsync()).Should().ThrowAsync<RegistryException>()).Which;
        missing.Message.Should().Contain($"No credentials for {registries.Source.Host} were found");
    }

    [Fact]
    public async Task Sixteen_requests_at_once_cost_one_challenge_and_all_carry_the_header_afterwards()
    {
        using var seed = Client(registries.Source.Host);
        var repository = Unique("burst/app");
        var image = await TestImages.PushAsync(seed, repository, "1.0", "burst");
        using var proxy = new FaultProxy(registries.Source.Host);
        using var client = Client(proxy.Host);

        var heads = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => client.HeadManifestAsync(repository, "1.0"))));

        heads.Should().OnlyContain(h => h != null && h.Digest == image.Digest);
        var requests = proxy.Requests.ToList();
        requests.Should().HaveCount(17, "one challenge, then sixteen authorised requests");
        requests.Count(r => r.Status == 401).Should().Be(1);
        requests.Count(r => r.AuthScheme != "Basic").Should().Be(1, "only the request that discovered the scheme went without the header");
    }

    [Fact]
    public async Task An_eight_thread_promotion_of_six_images_succeeds_with_one_challenge_per_registry()
    {
        var id = Unique("promote");
        SeededFoo foo;
        PushedImage bar, baz;
        using (var seed = Client(registries.Source.Host))
        {
            foo = await SeededFoo.PushAsync(seed, $"{id}/foo", id);
            bar = await TestImages.PushAsync(seed, $"{id}/bar", "1.0", $"bar {id}");
            baz = await TestImages.PushAsync(seed, $"{id}/baz", "2.0", $"baz {id}");
        }
        using var sourceProxy = new FaultProxy(registries.Source.Host);
        using var destinationProxy = new FaultProxy(registries.Destination.Host);
        var config = Config(sourceProxy.Host, destinationProxy.Host);
        using var pool = new RegistryPool(address => new RegistryClientOptions
        {
            Credential = config.Find(address),
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        });
        // Six images: foo's index, its two children and its tagless image, bar and baz.
        var manifest = ManifestReader.Parse($"""
            registries:
            - name: {sourceProxy.Host}/{id}
              src: true
            - name: {destinationProxy.Host}/prod/{id}
            images:
            - name: foo
              dmap:
                "{foo.Index}": ["1.0"]
                "{foo.Amd64.Digest}": ["1.0-linux_amd64"]
                "{foo.S390x.Digest}": []
                "{foo.Tagless.Digest}": []
            - name: bar
              dmap:
                "{bar.Digest}": ["1.0"]
            - name: baz
              dmap:
                "{baz.Digest}": ["2.0"]
            """, "promoter-manifest.yaml");

        var result = await new PromotionPipeline(pool, new PromotionPolicy { Confirm = true, Threads = 8 })
            .RunAsync(_ => PromotionEdges.FromManifests([manifest]));

        result.Stop.Should().Be(PromotionStop.Completed);
        foreach (var proxy in new[] { sourceProxy, destinationProxy })
        {
            proxy.Requests.Count(r => r.Status == 401).Should().Be(1, "{0} is challenged once", proxy.Host);
            proxy.Requests.Count(r => r.AuthScheme != "Basic").Should().Be(1);
        }
        using var check = Client(registries.Destination.Host);
        (await check.ListTagsAsync($"prod/{id}/foo")).Should().BeEquivalentTo("1.0", "1.0-linux_amd64");
        (await check.ListTagsAsync($"prod/{id}/bar")).Should().Equal("1.0");
        (await check.ListTagsAsync($"prod/{id}/baz")).Should().Equal("2.0");
    }

    [Fact]
    public async Task Refused_credentials_fail_every_concurrent_request_once_without_retrying_them()
    {
        using var proxy = new FaultProxy(registries.Source.Host);
        using var wrong = Client(proxy.Host, "wrong-guess");

        var pings = Enumerable.Range(0, 8).Select(_ => Task.Run(() => wrong.PingAsync())).ToList();
        var errors = new List<RegistryException>();
        foreach (var ping in pings)
        {
            try { await ping; }
            catch (RegistryException e) { errors.Add(e); }
        }

        errors.Should().HaveCount(8).And.OnlyContain(e => e.StatusCode == HttpStatusCode.Unauthorized && e.Message.Contains("refused the credentials of user 'robot'"));
        proxy.Requests.Should().HaveCount(9, "the first request learns the scheme and is retried with the header; the seven others carry it at once")
            .And.OnlyContain(r => r.Status == 401);
    }

    [Fact]
    public async Task Bearer_tokens_are_fetched_once_per_scope_however_many_requests_want_one_at_once()
    {
        var folder = Directory.CreateTempSubdirectory("promoter-bearer-");
        try
        {
            using var tokens = new TestTokenServer(User, Password, folder.FullName);
            using var registry = await TestRegistry.StartAsync(new RegistryOptions { Token =
                new RegistryTokenAuth(tokens.Realm, TestTokenServer.Service, TestTokenServer.Issuer, tokens.CertificatePath) });
            using var proxy = new FaultProxy(registry.Host);
            using var client = Client(proxy.Host);

            var heads = Enumerable.Range(0, 16).Select(i => Task.Run(() => client.HeadManifestAsync(i % 2 == 0 ? "secured/a" : "secured/b", "1.0")));
            (await Task.WhenAll(heads)).Should().OnlyContain(h => h == null, "nothing was pushed; every HEAD is an authorised 404");

            client.TokenFetches.Should().Be(2, "one token per scope (pull of secured/a, pull of secured/b)");
            tokens.Requests.Select(r => r.Scopes).Should().OnlyHaveUniqueItems().And.HaveCount(2);
            proxy.Requests.Count(r => r.Status == 401).Should().Be(1, "once the realm is known, a new scope's token is fetched before its first request");
            proxy.Requests.Count(r => r.Status == 404).Should().Be(16);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
