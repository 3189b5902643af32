using System.Text;
using Build.Tests.Harness;
using FluentAssertions;
using Promoter.Registry;
using Promoter.Tests.Support;
using Xunit;

namespace Build.Tests.Tasks.Promote;

/// <summary>
/// Fault suite, class "basic auth under concurrency", through the build program: with DOCKER_CONFIG pointing at a
/// config.json holding basic auth for two htpasswd-protected Distribution processes, PushSrc seeds the project's golden
/// set (pushed concurrently) and Promote with 8 threads copies its six images; both succeed.
/// </summary>
public sealed class HtpasswdPromoteTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("htpasswd-promote-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task PushSrc_and_an_eight_thread_Promote_succeed_against_htpasswd_registries()
    {
        var registries = await TestRegistry.StartAllAsync([RegistryOptions.Basic("ci", "ci-pass"), RegistryOptions.Basic("ci", "ci-pass")]);
        using var source = registries[0];
        using var destination = registries[1];
        var docker = Directory.CreateDirectory(Path.Combine(_folder, "docker")).FullName;
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("ci:ci-pass"));
        File.WriteAllText(Path.Combine(docker, "config.json"),
            "{\"auths\":{" + $"\"{source.Host}\":{{\"auth\":\"{auth}\"}},\"{destination.Host}\":{{\"auth\":\"{auth}\"}}" + "}}");
        var manifest = Path.Combine(_folder, "promoter-manifest.yaml");
        File.WriteAllText(manifest, $"""
            registries:
            - name: {source.Host}/stg
              src: true
            - name: {destination.Host}/prod
            images:
            - name: golden-foo/foo
              dmap:
                "{GoldenDigests.Project.FooList}": ["1.0"]
                "{GoldenDigests.Project.FooAmd64}": ["1.0-linux_amd64"]
                "{GoldenDigests.Project.FooS390x}": ["1.0-linux_s390x"]
                "{GoldenDigests.Project.FooArm64}": ["1.0-linux_arm64"]
                "{GoldenDigests.Project.FooTagless}": []
            - name: golden-bar/bar
              dmap:
                "{GoldenDigests.Project.Bar}": ["1.0"]
            """);
        var environment = new Dictionary<string, string?> { ["DOCKER_CONFIG"] = docker };
        var pushed = BuildProgram.RunWith(environment, "--target", "PushSrc", $"--registry={source.Host}/stg");
        var promoted = BuildProgram.RunWith(environment, "--target", "Promote", $"--manifest={manifest}", "--threads=8", "--confirm");

        pushed.ExitCode.Should().Be(0, pushed.Output);
        promoted.ExitCode.Should().Be(0, promoted.Output);
        // A status code as a word: "401" may well occur inside a port number or a digest of the output.
        System.Text.RegularExpressions.Regex.IsMatch(promoted.Output, @"\b401\b").Should().BeFalse(promoted.Output);
        using var check = destination.CreateClient(new RegistryClientOptions { Credential = new RegistryCredential("ci", "ci-pass") });
        (await check.ListTagsAsync("prod/golden-foo/foo")).Should().BeEquivalentTo("1.0", "1.0-linux_amd64", "1.0-linux_s390x", "1.0-linux_arm64");
        (await check.ListTagsAsync("prod/golden-bar/bar")).Should().Equal("1.0");
        (await check.HeadManifestAsync("prod/golden-foo/foo", GoldenDigests.Project.FooTagless))
            .Should().NotBeNull("the tagless image is promoted by digest");
    }

    /// <summary>
    /// The same promotion with no secret in config.json: the source's password comes from its <c>credHelpers</c> helper,
    /// the destination's from the <c>credsStore</c> helper (which answers a wrong password for the source, so the
    /// per-host helper must win), both real executables on PATH speaking the helper protocol; each runs once per
    /// registry and build-program run.
    /// </summary>
    [Fact]
    public async Task PushSrc_and_Promote_succeed_through_credHelpers_and_credsStore()
    {
        var registries = await TestRegistry.StartAllAsync([RegistryOptions.Basic("ci", "ci-helper-pass"), RegistryOptions.Basic("ci", "ci-helper-pass")]);
        using var source = registries[0];
        using var destination = registries[1];
        var bin = Directory.CreateDirectory(Path.Combine(_folder, "bin")).FullName;
        Executables.CredentialHelper(bin, "ci", "ci", "ci-helper-pass");
        Executables.Script(bin, "docker-credential-store", $$"""
            server=$(cat)
            echo "$1 $server" >> "{{bin}}/store.log"
            password=ci-helper-pass
            [ "$server" = "{{source.Host}}" ] && password=wrong
            printf '{"ServerURL":"%s","Username":"ci","Secret":"%s"}' "$server" "$password"
            """);
        var docker = Directory.CreateDirectory(Path.Combine(_folder, "docker")).FullName;
        File.WriteAllText(Path.Combine(docker, "config.json"),
            "{\"credsStore\":\"store\",\"credHelpers\":{" + $"\"{source.Host}\":\"ci\"" + "}}");
        var manifest = Path.Combine(_folder, "promoter-manifest.yaml");
        File.WriteAllText(manifest, $"""
            registries:
            - name: {source.Host}/stg
              src: true
            - name: {destination.Host}/prod
            images:
            - name: golden-bar/bar
              dmap:
                "{GoldenDigests.Project.Bar}": ["1.0"]
            """);
        var environment = new Dictionary<string, string?>
        {
            ["DOCKER_CONFIG"] = docker, ["PATH"] = bin + System.IO.Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
        };
        var pushed = BuildProgram.RunWith(environment, "--target", "PushSrc", $"--registry={source.Host}/stg");
        var promoted = BuildProgram.RunWith(environment, "--target", "Promote", $"--manifest={manifest}", "--threads=8", "--confirm");

        pushed.ExitCode.Should().Be(0, pushed.Output);
        promoted.ExitCode.Should().Be(0, promoted.Output);
        promoted.Output.Should().NotContain("ci-helper-pass");
        Executables.Runs(bin, "ci").Should().Equal($"get {source.Host}", $"get {source.Host}");
        Executables.Runs(bin, "store").Should().Equal($"get {destination.Host}");
        using var check = destination.CreateClient(new RegistryClientOptions { Credential = new RegistryCredential("ci", "ci-helper-pass") });
        (await check.ListTagsAsync("prod/golden-bar/bar")).Should().Equal("1.0");
    }
}
