using System.Text;
using Build.Tests.Harness;
using FluentAssertions;
using Promoter.Registry;
using Promoter.Tests.Support;
using Xunit;

namespace Build.Tests.Tasks.Promote;

/// <summary>
/// <c>--use-service-account</c> through the build program, up to the process boundary: two htpasswd Distribution processes
/// serve <c>gcr.io</c> and <c>us.gcr.io</c> (aliases) and accept only <c>oauth2accesstoken</c> with the token a
/// <c>gcloud</c> stand-in on PATH prints when asked to impersonate the manifest's service account. Google's IAM is not
/// exercised (no real impersonation happens).
/// </summary>
public sealed class ServiceAccountPromoteTests : IDisposable
{
    private const string Account = "k8s-infra-promoter@cip-test.iam.gserviceaccount.com";
    private const string Token = "ya29.impersonated-TOKEN-5c1d";
    private const string Bar = GoldenDigests.Project.Bar;
    private readonly string _folder = Directory.CreateTempSubdirectory("service-account-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Each_registry_s_service_account_is_impersonated_through_gcloud()
    {
        var registries = await TestRegistry.StartAllAsync([RegistryOptions.Basic("oauth2accesstoken", Token), RegistryOptions.Basic("oauth2accesstoken", Token)]);
        using var source = registries[0];
        using var destination = registries[1];
        var aliases = $"--registry-aliases=gcr.io={source.Host},us.gcr.io={destination.Host}";
        var bin = Directory.CreateDirectory(Path.Combine(_folder, "bin")).FullName;
        Executables.Script(bin, "gcloud", $$"""
            echo "$*" >> "{{bin}}/gcloud.log"
            case "$*" in
              *--impersonate-service-account={{Account}}*) echo '{{Token}}' ;;
              *) echo 'ya29.the-active-account-not-the-service-account' ;;
            esac
            """);
        var seedConfig = Directory.CreateDirectory(Path.Combine(_folder, "seed")).FullName;
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"oauth2accesstoken:{Token}"));
        File.WriteAllText(Path.Combine(seedConfig, "config.json"), "{\"auths\":{" + $"\"{source.Host}\":{{\"auth\":\"{auth}\"}}" + "}}");
        var emptyConfig = Directory.CreateDirectory(Path.Combine(_folder, "empty")).FullName;
        File.WriteAllText(Path.Combine(emptyConfig, "config.json"), "{}");
        var manifest = Path.Combine(_folder, "promoter-manifest.yaml");
        File.WriteAllText(manifest, $"""
            registries:
            - name: gcr.io/stg
              service-account: {Account}
              src: true
            - name: us.gcr.io/prod
              service-account: {Account}
            images:
            - name: golden-bar/bar
              dmap:
                "{Bar}": ["1.0"]
            """);

        var seeded = BuildProgram.RunWith(new Dictionary<string, string?> { ["DOCKER_CONFIG"] = seedConfig },
            "--target", "PushSrc", $"--registry={source.Host}/stg");
        var environment = new Dictionary<string, string?>
        {
            ["DOCKER_CONFIG"] = emptyConfig, ["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
        };
        var anonymous = BuildProgram.RunWith(environment, "--target", "Promote", $"--manifest={manifest}", aliases, "--confirm");
        var impersonated = BuildProgram.RunWith(environment, "--target", "Promote", $"--manifest={manifest}", aliases, "--confirm", "--use-service-account");

        seeded.ExitCode.Should().Be(0, seeded.Output);
        anonymous.ExitCode.Should().NotBe(0, "without --use-service-account nothing gives the aliased registries a credential");
        impersonated.ExitCode.Should().Be(0, impersonated.Output);
        impersonated.Output.Should().Contain($"use-service-account: us.gcr.io/prod ({destination.Host}) with gcloud --impersonate-service-account={Account}")
            .And.NotContain(Token);
        Executables.Runs(bin, "gcloud").Should().Equal($"auth print-access-token --impersonate-service-account={Account}");
        using var check = destination.CreateClient(new RegistryClientOptions { Credential = new RegistryCredential("oauth2accesstoken", Token) });
        (await check.HeadManifestAsync("prod/golden-bar/bar", "1.0"))!.Digest.Value.Should().Be(Bar);
    }
}
