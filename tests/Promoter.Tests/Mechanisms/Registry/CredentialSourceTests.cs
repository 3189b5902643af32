using System.Net;
using System.Text;
using FluentAssertions;
using Promoter.Registry;
using Promoter.Tests.Support;
using Xunit;

namespace Promoter.Tests.Registry;

/// <summary>
/// One CNCF Distribution process with <c>auth: htpasswd</c> knowing two users: <see cref="User"/> (what the credential
/// helpers hand out) and <c>oauth2accesstoken</c> with <see cref="AccessToken"/> (what a Google access token becomes).
/// </summary>
public sealed class HelperRegistry() : RegistryFixture(new RegistryOptions
{
    Users = [(User, Password), ("oauth2accesstoken", AccessToken)],
})
{
    /// <summary>The user the helpers answer with.</summary>
    public const string User = "helper-user";

    /// <summary>Its password; no message may hold it.</summary>
    public const string Password = "h3lper-SeCrEt-41b9";

    /// <summary>The access token the gcloud stand-in and the metadata server hand out.</summary>
    public const string AccessToken = "ya29.stand-in-TOKEN-8e2f";
}

/// <summary>
/// Credentials as docker finds them, through real executables written here: <c>docker-credential-*</c> shell scripts
/// speaking the helper protocol (server URL on stdin, JSON on stdout) in a folder given as the search path, a
/// <c>gcloud</c> stand-in, and a metadata server on loopback; against a real htpasswd Distribution registry.
/// </summary>
public sealed class CredentialSourceTests(HelperRegistry fixture) : IClassFixture<HelperRegistry>, IDisposable
{
    private readonly string _bin = Directory.CreateTempSubdirectory("promoter-helpers-").FullName;

    private string Host => fixture.Registry.Host;

    public void Dispose() => Directory.Delete(_bin, recursive: true);

    private void Script(string name, string body) => Executables.Script(_bin, name, body);

    private void Helper(string name, string user, string secret) => Executables.CredentialHelper(_bin, name, user, secret);

    private string[] Runs(string name) => Executables.Runs(_bin, name);

    private DockerKeychain Keychain(string json, ICredentialSource? fallback = null, TimeSpan? timeout = null) =>
        new(DockerConfig.Parse(json, "/tmp/test/config.json"), fallback, timeout, searchPath: _bin);

    private RegistryClient Client(ICredentialSource source) =>
        fixture.Registry.CreateClient(new RegistryClientOptions { CredentialSource = source });

    [Fact]
    public async Task A_credHelpers_helper_authenticates_pushes_and_concurrent_reads_and_runs_once()
    {
        Helper("test", HelperRegistry.User, HelperRegistry.Password);
        var keychain = Keychain($$$"""{"credHelpers":{"{{{Host}}}":"test"}}""");
        using var client = Client(keychain);

        var image = await TestImages.PushAsync(client, "helpers/a", "1.0", "through credHelpers");
        var heads = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => client.HeadManifestAsync("helpers/a", "1.0"))));

        heads.Should().OnlyContain(h => h != null && h.Digest == image.Digest);
        Runs("test").Should().Equal($"get {Host}");
    }

    [Fact]
    public async Task The_credsStore_helper_serves_every_registry_without_its_own_and_credHelpers_wins_over_it()
    {
        Helper("store", HelperRegistry.User, HelperRegistry.Password);
        using (var client = Client(Keychain("""{"credsStore":"store"}""")))
            await TestImages.PushAsync(client, "helpers/store", "1.0", "through credsStore");
        Runs("store").Should().Equal($"get {Host}");

        // credHelpers[host] > credsStore > auths: the store and the file hold a wrong password, the host's helper the right one.
        Helper("wrong", "helper-user", "not-the-password");
        var wrong = Convert.ToBase64String(Encoding.UTF8.GetBytes("helper-user:not-the-password-either"));
        var keychain = Keychain($$$"""{"auths":{"{{{Host}}}":{"auth":"{{{wrong}}}"}},"credsStore":"wrong","credHelpers":{"{{{Host}}}":"store"}}""");
        using (var client = Client(keychain))
            await TestImages.PushAsync(client, "helpers/precedence", "1.0", "credHelpers first");
        Runs("wrong").Should().BeEmpty();

        // A store that holds nothing for the host passes the question on to auths.
        Script("docker-credential-empty", "cat >/dev/null; echo 'credentials not found in native keychain'; exit 1");
        var right = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{HelperRegistry.User}:{HelperRegistry.Password}"));
        using (var client = Client(Keychain($$$"""{"auths":{"{{{Host}}}":{"auth":"{{{right}}}"}},"credsStore":"empty"}""")))
            await TestImages.PushAsync(client, "helpers/fallthrough", "1.0", "auths after an empty store");
    }

    [Fact]
    public async Task The_token_user_name_makes_the_secret_an_identity_token()
    {
        Helper("idtoken", "<token>", "refresh-TOKEN-secret");
        var credential = await Keychain("""{"credsStore":"idtoken"}""").GetAsync("registry.example", CancellationToken.None);

        credential!.IdentityToken.Should().Be("refresh-TOKEN-secret");
        credential.HasPassword.Should().BeFalse();
        Runs("idtoken").Should().Equal("get registry.example");
    }

    [Theory]
    [InlineData("missing", null, "is not installed: no docker-credential-missing on PATH")]
    [InlineData("fails", "cat >/dev/null; echo 'error getting credentials - err: exit status 1, out: keychain locked'; exit 1",
        "failed with exit code 1: error getting credentials - err: exit status 1, out: keychain locked")]
    [InlineData("garbage", "cat >/dev/null; echo 'Secret=h3lper-SeCrEt-41b9 {'", "answered with something that is not JSON")]
    [InlineData("nosecret", "cat >/dev/null; echo '{\"ServerURL\":\"x\",\"Username\":\"u\"}'", "answered without a 'Secret'")]
    [InlineData("slow", "sleep 30", "could not be run: it did not exit within 0.5 s and was stopped")]
    public async Task A_helper_that_is_missing_or_fails_is_an_error_naming_registry_and_helper(string name, string? script, string expected)
    {
        if (script is not null) Script("docker-credential-" + name, script);
        // A short limit only where the helper is meant to hang: on a loaded machine a shell script can take longer than
        // 0.5 s to start and answer, and the other cases must fail for their own reason.
        using var client = Client(Keychain($$$"""{"credHelpers":{"{{{Host}}}":"{{{name}}}"}}""",
            timeout: TimeSpan.FromSeconds(name == "slow" ? 0.5 : 20)));

        var error = (await client.Invoking(c => c.ListTagsAsync("helpers/a")).Should().ThrowAsync<RegistryException>()).Which;

        error.Message.Should().Contain($"registry {Host}").And.Contain($"docker-credential-{name} (credHelpers of /tmp/test/config.json)")
            .And.Contain(expected).And.NotContain(HelperRegistry.Password);
    }

    [Fact]
    public async Task A_failing_helper_runs_once_per_registry_however_many_requests_need_it()
    {
        Script("docker-credential-fails", $"cat >/dev/null; echo run >> \"{_bin}/fails.log\"; exit 2");
        var keychain = Keychain("""{"credsStore":"fails"}""");
        using var client = Client(keychain);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            try { await client.ListTagsAsync("helpers/a"); return null; }
            catch (RegistryException e) { return e.Message; }
        })));

        attempts.Should().OnlyContain(m => m != null && m.Contains("docker-credential-fails") && m.Contains("exit code 2"));
        Runs("fails").Should().HaveCount(1);
    }

    [Theory]
    [InlineData("gcr.io", true)]
    [InlineData("us.gcr.io", true)]
    [InlineData("EU.GCR.IO", true)]
    [InlineData("us-central1-docker.pkg.dev", true)]
    [InlineData("pkg.dev", true)]
    [InlineData("gcr.io:443", true)]
    [InlineData("-docker.pkg.dev", false)]
    [InlineData("notgcr.io", false)]
    [InlineData("gcr.io.example.com", false)]
    [InlineData("docker.pkg.dev.example", false)]
    [InlineData("127.0.0.1:5000", false)]
    public void Google_registries_are_recognised_by_host(string host, bool google) =>
        GoogleCredentials.IsGoogleRegistry(host).Should().Be(google);

    [Fact]
    public async Task A_gcloud_access_token_authenticates_as_oauth2accesstoken_and_is_kept()
    {
        Script("gcloud", $"echo \"$*\" >> \"{_bin}/gcloud.log\"; echo '{HelperRegistry.AccessToken}'");
        var gcloud = new GcloudAccessToken(searchPath: _bin);
        using var client = Client(gcloud);

        await TestImages.PushAsync(client, "google/a", "1.0", "with a gcloud token");
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => client.HeadManifestAsync("google/a", "1.0"))));

        Runs("gcloud").Should().Equal("auth print-access-token");
        gcloud.Runs.Should().Be(1);

        var impersonating = new GcloudAccessToken("promoter@project.iam.gserviceaccount.com", searchPath: _bin);
        (await impersonating.GetAsync("gcr.io", CancellationToken.None))!.Password.Should().Be(HelperRegistry.AccessToken);
        Runs("gcloud").Last().Should().Be("auth print-access-token --impersonate-service-account=promoter@project.iam.gserviceaccount.com");
    }

    [Fact]
    public async Task Google_registries_get_gcloud_tokens_only_when_nothing_else_is_configured()
    {
        Script("gcloud", $"echo '{HelperRegistry.AccessToken}'");
        Helper("gcr", "_json_key", "key-from-helper");
        var google = new GoogleCredentials(new GcloudAccessToken(searchPath: _bin), null);
        var keychain = Keychain("""{"credHelpers":{"us.gcr.io":"gcr"}}""", google);

        (await keychain.GetAsync("gcr.io", CancellationToken.None))!.ToString().Should().Be("user 'oauth2accesstoken' (password)");
        (await keychain.GetAsync("us.gcr.io", CancellationToken.None))!.Password.Should().Be("key-from-helper");
        (await keychain.GetAsync("registry.example", CancellationToken.None)).Should().BeNull();
    }

    [Fact]
    public async Task Without_gcloud_the_metadata_server_token_is_used_and_kept_until_it_expires()
    {
        using var server = new MetadataServer($$"""{"access_token":"{{HelperRegistry.AccessToken}}","expires_in":3599,"token_type":"Bearer"}""");
        using var metadata = new MetadataServerAccessToken(server.Address);
        var lines = new List<string>();
        var google = new GoogleCredentials(new GcloudAccessToken(searchPath: _bin), metadata, lines.Add);

        var credentials = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => google.GetAsync("us-docker.pkg.dev", CancellationToken.None).AsTask()));

        credentials.Should().OnlyContain(c => c!.Username == "oauth2accesstoken" && c.Password == HelperRegistry.AccessToken);
        server.Requests.Should().Be(1);
        server.Paths.Should().Equal("/computeMetadata/v1/instance/service-accounts/default/token Metadata-Flavor=Google");
        lines.Should().BeEmpty("gcloud is not installed, so it was not tried");
    }

    [Fact]
    public async Task A_short_lived_metadata_token_is_fetched_again()
    {
        using var server = new MetadataServer("""{"access_token":"short-lived","expires_in":1}""");
        using var metadata = new MetadataServerAccessToken(server.Address);

        await metadata.GetAsync("gcr.io", CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        await metadata.GetAsync("gcr.io", CancellationToken.None);

        server.Requests.Should().Be(2);
    }

    [Fact]
    public async Task When_gcloud_fails_and_no_metadata_server_answers_Google_registries_are_anonymous_and_the_log_says_why()
    {
        Script("gcloud", "echo 'ERROR: (gcloud.auth.print-access-token) You do not currently have an active account selected.' >&2; exit 1");
        using var refusing = new MetadataServer("""{"error":"no"}""", HttpStatusCode.NotFound);
        using var metadata = new MetadataServerAccessToken(refusing.Address);
        var lines = new List<string>();
        var gcloud = new GcloudAccessToken(searchPath: _bin);
        var google = new GoogleCredentials(gcloud, metadata, lines.Add);

        (await google.GetAsync("gcr.io", CancellationToken.None)).Should().BeNull();
        (await google.GetAsync("us.gcr.io", CancellationToken.None)).Should().BeNull();

        lines.Should().Equal(
            "registry gcr.io: gcloud auth print-access-token failed with exit code 1: ERROR: (gcloud.auth.print-access-token) You do not currently have an active account selected.",
            $"registry gcr.io: the metadata server {refusing.Address} gave no access token (it answered 404 Not Found).",
            "registry gcr.io: no Google access token was found; it is accessed anonymously.");
        gcloud.Runs.Should().Be(1, "after both failed the run stays anonymous");
    }

    /// <summary>A metadata server on loopback: answers every GET with <c>body</c>, counting requests and noting path and
    /// <c>Metadata-Flavor</c> header.</summary>
    private sealed class MetadataServer(string body, HttpStatusCode status = HttpStatusCode.OK) : LoopbackHttpServer
    {
        private readonly List<string> _paths = [];
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        public IReadOnlyList<string> Paths
        {
            get { lock (_paths) return _paths.ToList(); }
        }

        protected override LoopbackAnswer Answer(LoopbackRequest request)
        {
            Interlocked.Increment(ref _requests);
            lock (_paths) _paths.Add($"{request.Path} Metadata-Flavor={request.Header("Metadata-Flavor")}");
            return LoopbackAnswer.Json((int)status, body);
        }
    }
}
