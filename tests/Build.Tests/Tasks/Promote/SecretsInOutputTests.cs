using System.Text;
using System.Text.Json;
using Build.Settings;
using Build.Tests.Harness;
using FluentAssertions;
using Promoter.Tests.Support;
using Xunit;

namespace Build.Tests.Tasks.Promote;

/// <summary>
/// A registry that requires credentials (token authentication, <see cref="TestTokenServer"/>) and a docker config.json
/// holding them, for the tests of a class: the token server grants <see cref="User"/> with <see cref="Password"/>.
/// </summary>
public sealed class SecuredRegistry : RegistryFixture
{
    /// <summary>The user the token server knows.</summary>
    public const string User = "robot";

    /// <summary>The password of <see cref="User"/>; no output may ever hold it.</summary>
    public const string Password = "Pa55-sEcReT-7f3a91";

    private readonly string _folder;
    private readonly TestTokenServer _tokens;

    /// <summary>A token server in a new folder, and a registry that trusts it.</summary>
    public SecuredRegistry() : this(Directory.CreateTempSubdirectory("secured-registry-").FullName) { }

    private SecuredRegistry(string folder) : this(folder, new TestTokenServer(User, Password, folder)) { }

    private SecuredRegistry(string folder, TestTokenServer tokens)
        : base(new RegistryOptions { Token = new RegistryTokenAuth(tokens.Realm, TestTokenServer.Service, TestTokenServer.Issuer, tokens.CertificatePath) }) =>
        (_folder, _tokens) = (folder, tokens);

    /// <summary>The token server's requests (scopes, granted).</summary>
    internal TestTokenServer Tokens => _tokens;

    /// <summary>A new folder for one test (a docker config, artifacts).</summary>
    public string NewFolder(string name) => Directory.CreateDirectory(Path.Combine(_folder, $"{name}-{Guid.NewGuid():N}")).FullName;

    /// <inheritdoc />
    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _tokens.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}

/// <summary>
/// No secret ever reaches the output: the real build program runs at <c>-v diagnostic</c> with a docker config.json
/// holding credentials (basic <c>auth</c>, <c>username</c>/<c>password</c>, an identity token, a registry token) against a
/// registry that requires them, and with passwords written into arguments and environment variables; the console output
/// and the JUnit files must hold none of the secrets, nor a bearer token, nor a Basic header value.
/// </summary>
public sealed class SecretsInOutputTests(SecuredRegistry secured) : IClassFixture<SecuredRegistry>
{
    private const string IdentityToken = "idtok-9c1e5b7aa0d24f6e";
    private const string RegistryToken = "regtok-51f0c2d8e9b34a77";
    private const string WrongPassword = "wr0ng-PaSs-c4d2e8";
    private const string BrokenHelperSecret = "br0ken-HELPER-secret-6d1f";

    private static string Basic(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    /// <summary>Every secret of these tests, in every form it could be printed.</summary>
    private static readonly string[] Secrets =
    [
        SecuredRegistry.Password, Basic(SecuredRegistry.User, SecuredRegistry.Password), IdentityToken, RegistryToken, WrongPassword,
        Basic(SecuredRegistry.User, WrongPassword), Uri.EscapeDataString(SecuredRegistry.Password), BrokenHelperSecret,
    ];

    private string Host => secured.Registry.Host;

    /// <summary>Writes a config.json with <paramref name="entry"/> for the registry and returns its folder.</summary>
    private string DockerConfig(object entry)
    {
        var folder = secured.NewFolder("docker-config");
        var json = JsonSerializer.Serialize(new Dictionary<string, object> { ["auths"] = new Dictionary<string, object> { [Host] = entry } });
        File.WriteAllText(Path.Combine(folder, "config.json"), json);
        return folder;
    }

    private object BasicAuth => new { auth = Basic(SecuredRegistry.User, SecuredRegistry.Password) };

    /// <summary>
    /// Runs the build program at <c>-v diagnostic</c> with DOCKER_CONFIG (and any other variables) set for the run, and
    /// checks that neither its output nor any file under ARTIFACTS holds a secret.
    /// </summary>
    private HostRunner.Result Run(string? dockerConfig, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var artifacts = secured.NewFolder("artifacts");
        var variables = new Dictionary<string, string?>
        {
            ["DOCKER_CONFIG"] = dockerConfig ?? secured.NewFolder("empty-docker-config"),
            ["ARTIFACTS"] = artifacts,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) variables[name] = value;
        var result = BuildProgram.RunWith(variables, ["--verbosity", "diagnostic", .. args]);
        ShouldHoldNoSecret("the output", result.Output);
        foreach (var file in Directory.EnumerateFiles(artifacts, "*", SearchOption.AllDirectories))
            ShouldHoldNoSecret(file, File.ReadAllText(file));
        return result;
    }

    private static void ShouldHoldNoSecret(string where, string text)
    {
        foreach (var secret in Secrets) text.Should().NotContain(secret, $"{where} must not hold a secret");
        text.Should().NotContain("Bearer ", $"{where} must not hold an Authorization header").And.NotContain("eyJ", $"{where} must not hold a JWT");
    }

    private HostRunner.Result PushSrc(string dockerConfig, string repository) =>
        Run(dockerConfig, null, "--target", "PushSrc", $"--registry={Host}/{repository}", $"--golden={BuildProgram.UpstreamGoldenSet}");

    [Fact]
    public void PushSrc_with_basic_auth_from_config_json_succeeds_and_prints_no_secret()
    {
        var result = PushSrc(DockerConfig(BasicAuth), "push-basic");

        result.ExitCode.Should().Be(0, result.Output);
        result.Output.Should().Contain("Setting registry = ").And.Contain("fetching a token from", "diagnostic output is on");
        secured.Tokens.Requests.Should().Contain(r => r.Granted);
    }

    /// <summary>A config.json naming <paramref name="helper"/> as the registry's credHelpers entry, and a PATH with
    /// <paramref name="bin"/> (where the helper scripts are) first.</summary>
    private (string Config, Dictionary<string, string> Environment) HelperConfig(string helper, string bin)
    {
        var folder = secured.NewFolder("docker-config");
        File.WriteAllText(Path.Combine(folder, "config.json"),
            JsonSerializer.Serialize(new Dictionary<string, object> { ["credHelpers"] = new Dictionary<string, string> { [Host] = helper } }));
        return (folder, new Dictionary<string, string> { ["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH") });
    }

    [Fact]
    public void PushSrc_with_a_password_from_a_credential_helper_succeeds_and_prints_no_secret()
    {
        var bin = secured.NewFolder("bin");
        Executables.CredentialHelper(bin, "secured", SecuredRegistry.User, SecuredRegistry.Password);
        var (config, environment) = HelperConfig("secured", bin);

        var result = Run(config, environment, "--target", "PushSrc", $"--registry={Host}/push-helper", $"--golden={BuildProgram.UpstreamGoldenSet}");

        result.ExitCode.Should().Be(0, result.Output);
        Executables.Runs(bin, "secured").Should().Equal($"get {Host}");
    }

    [Fact]
    public void An_identity_token_from_a_credential_helper_is_not_printed_when_refused()
    {
        var bin = secured.NewFolder("bin");
        Executables.CredentialHelper(bin, "idtoken", "<token>", IdentityToken);
        var (config, environment) = HelperConfig("idtoken", bin);

        var result = Run(config, environment, "--target", "PushSrc", $"--registry={Host}/push-helper-token", $"--golden={BuildProgram.UpstreamGoldenSet}");

        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain("(identity token)");
    }

    [Fact]
    public void A_broken_helper_answer_is_named_by_registry_and_helper_and_never_repeated()
    {
        var bin = secured.NewFolder("bin");
        Executables.Script(bin, "docker-credential-broken", $"cat >/dev/null; echo '{{\"Username\":\"robot\",\"Secret\":\"{BrokenHelperSecret}'");
        var (config, environment) = HelperConfig("broken", bin);

        var result = Run(config, environment, "--target", "PushSrc", $"--registry={Host}/push-helper-broken", $"--golden={BuildProgram.UpstreamGoldenSet}");

        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain($"registry {Host}: credential helper docker-credential-broken (credHelpers of ")
            .And.Contain("answered with something that is not JSON");
    }

    [Fact]
    public void A_refused_password_is_named_by_its_user_only()
    {
        var result = PushSrc(DockerConfig(new { username = SecuredRegistry.User, password = WrongPassword }), "push-refused");

        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain($"refused the credentials of user '{SecuredRegistry.User}' (password)");
    }

    [Fact]
    public void A_refused_identity_token_is_not_printed()
    {
        var result = PushSrc(DockerConfig(new { identitytoken = IdentityToken }), "push-identity");

        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain("(identity token)");
    }

    [Fact]
    public void A_registry_token_in_config_json_is_not_printed()
    {
        var result = PushSrc(DockerConfig(new { registrytoken = RegistryToken, username = SecuredRegistry.User }), "push-registry-token");

        result.ExitCode.Should().NotBe(0, "a registry token alone does not satisfy the token server");
        result.Output.Should().Contain("401");
    }

    [Fact]
    public void Promote_with_a_snapshot_and_plan_at_diagnostic_verbosity_prints_no_secret()
    {
        var config = DockerConfig(BasicAuth);
        PushSrc(config, "stg").ExitCode.Should().Be(0);
        var manifest = Path.Combine(secured.NewFolder("manifest"), "promoter-manifest.yaml");
        File.WriteAllText(manifest, $"""
            registries:
            - name: {Host}/stg/golden-bar
              src: true
            - name: {Host}/prod
            images:
            - name: bar
              dmap:
                "{GoldenDigests.Upstream.Bar}": ["1.0"]
            """);

        var promoted = Run(config, null, "--target", "Promote", $"--manifest={manifest}", "--confirm");
        var snapshot = Run(config, null, "--target", "Promote", $"--snapshot={Host}/prod");

        promoted.ExitCode.Should().Be(0, promoted.Output);
        promoted.Output.Should().Contain("COPY  ").And.Contain("read back 1 tag(s)");
        snapshot.ExitCode.Should().Be(0, snapshot.Output);
        snapshot.Output.Should().Contain("- name: bar");
    }

    [Fact]
    public void E2E_against_the_secured_registry_writes_junit_and_output_without_secrets()
    {
        var folder = secured.NewFolder("e2e");
        var manifest = Path.Combine(folder, "bar.yaml");
        File.WriteAllText(manifest, $"""
            registries:
            - name: gcr.io/k8s-staging-cip-test/golden-bar
              src: true
            - name: us.gcr.io/k8s-cip-test-prod/golden-bar
            images:
            - name: bar
              dmap:
                "{GoldenDigests.Upstream.Bar}": ["1.0"]
            """);
        var tests = Path.Combine(folder, "tests.yaml");
        File.WriteAllText(tests, $"""
            - name: "promote bar with credentials"
              registries:
              - name: gcr.io/k8s-staging-cip-test
              - name: us.gcr.io/k8s-cip-test-prod
              invocation:
              - "--manifest={manifest}"
              snapshots:
              - name: us.gcr.io/k8s-cip-test-prod/golden-bar
                before: []
                after:
                - name: bar
                  dmap:
                    "{GoldenDigests.Upstream.Bar}": ["1.0"]
            """);

        var result = Run(DockerConfig(BasicAuth), null, "--target", "LoadTarballs", "--target", "E2E", "--exclusive", $"--e2e-file={tests}",
            $"--golden={BuildProgram.UpstreamGoldenSet}", $"--registry-aliases=gcr.io={Host},us.gcr.io={Host}",
            $"--registry-storage=gcr.io={secured.Registry.StorageRoot},us.gcr.io={secured.Registry.StorageRoot}");

        result.ExitCode.Should().Be(0, result.Output);
        result.Output.Should().Contain("E2E: 1 passed, 0 failed").And.Contain("JUnit: ");
    }

    [Fact]
    public void Every_declared_setting_shows_its_value_without_user_info_and_a_secret_setting_shows_nothing()
    {
        foreach (var setting in BuildSettings.All)
            setting.Shown($"robot:{SecuredRegistry.Password}@127.0.0.1:5000/x").Should().NotContain(SecuredRegistry.Password, setting.Name);
        SettingDeclaration.IsSecretName("registry-password").Should().BeTrue();
        SettingDeclaration.IsSecretName("GIT_TOKEN").Should().BeTrue();
        SettingDeclaration.IsSecretName("registry").Should().BeFalse();
    }

    /// <summary>Arguments that carry a password, each with a task (and its other arguments) that reads it: the run fails or succeeds, but never prints it.</summary>
    public static TheoryData<string, string, string> PasswordsInArguments => new()
    {
        { "PushSrc", "--registry", $"{SecuredRegistry.User}:{SecuredRegistry.Password}@127.0.0.1:5000/x" },
        { "Promote", "--snapshot", $"{SecuredRegistry.User}:{SecuredRegistry.Password}@127.0.0.1:5000/x" },
        { "Promote --manifest=manifests/none.yaml", "--threads", $"{SecuredRegistry.User}:{SecuredRegistry.Password}@8" },
        { "PushSrc", "--registry-aliases", $"gcr.io={SecuredRegistry.User}:{SecuredRegistry.Password}@127.0.0.1:5000" },
        { "PromoteRelease", "--staging-registry", $"{SecuredRegistry.User}:{SecuredRegistry.Password}@127.0.0.1:5000/stg" },
        { "PromoteRelease", "--git-remote", $"https://{SecuredRegistry.User}:{SecuredRegistry.Password}@github.com/example/promoter.git" },
        { "PushSrc", "--password", SecuredRegistry.Password },
        { "PushSrc", "--registry-token", SecuredRegistry.Password },
    };

    [Theory]
    [MemberData(nameof(PasswordsInArguments))]
    public void A_password_in_an_argument_is_never_printed(string target, string argument, string value)
    {
        var words = target.Split(' ');
        var result = Run(null, null, ["--target", words[0], .. words[1..], $"{argument}={value}", $"--golden={BuildProgram.UpstreamGoldenSet}"]);

        result.Output.Should().Contain(argument.TrimStart('-'), "the run names the argument it read or refused");
    }

    [Theory]
    [InlineData("PushSrc", "CIP_REGISTRY")]
    [InlineData("Promote", "CIP_SNAPSHOT")]
    [InlineData("PromoteRelease", "CIP_PRODUCTION_REGISTRIES")]
    public void A_password_in_an_environment_variable_is_never_printed(string target, string variable)
    {
        var result = Run(null, new Dictionary<string, string> { [variable] = $"{SecuredRegistry.User}:{SecuredRegistry.Password}@127.0.0.1:5000/x" },
            "--target", target, $"--golden={BuildProgram.UpstreamGoldenSet}");

        result.Output.Should().Contain("***@127.0.0.1:5000/x", "the value is read (and shown redacted) at diagnostic verbosity");
    }
}
