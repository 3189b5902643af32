using System.Text.Json;
using Build.Tests.Harness;
using Build.Tests.Tools.Git;
using FluentAssertions;
using Promoter.Oci;
using Promoter.Tests.Support;
using Xunit;

namespace Build.Tests.Tasks.PromoteRelease;

/// <summary>
/// PromoteRelease <c>--sign --signing-key=FILE</c> on the real Cake engine against real Distribution registries: each
/// release image digest gets a cosign signature in each production repository, which OpenSSL (the process, with the
/// public key openssl derived) verifies after the test fetched the <c>.sig</c> manifest and payload over plain HTTP; a
/// tampered payload and another key are rejected by OpenSSL; a dry run names the key by fingerprint only.
/// </summary>
[Collection(ReleaseCollection.Name)]
public sealed class PromoteReleaseSigningTests(ReleaseRegistries registries) : IDisposable
{
    private static readonly HttpClient Http = new();
    private readonly string _id = Guid.NewGuid().ToString("N")[..8];
    private readonly string _folder = Directory.CreateTempSubdirectory("release-sign-").FullName;

    private string Staging => $"{registries.Staging.Host}/stg-{_id}";
    private string Production1 => $"{registries.Production1.Host}/prod-{_id}";
    private string Production2 => $"{registries.Production2.Host}/prod-{_id}/mirror";

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_release_image_is_signed_in_every_production_registry_and_openssl_verifies_each_signature()
    {
        var key = Path.Combine(_folder, "release.pem");
        var pub = Path.Combine(_folder, "release.pub");
        var otherPub = Path.Combine(_folder, "other.pub");
        OpenSsl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key);
        OpenSsl("pkey", "-in", key, "-pubout", "-out", pub);
        OpenSsl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", Path.Combine(_folder, "other.pem"));
        OpenSsl("pkey", "-in", Path.Combine(_folder, "other.pem"), "-pubout", "-out", otherPub);
        using var repo = Bumped("0.4.0");
        string[] arguments = ["--target", "PromoteRelease", $"--staging-registry={Staging}", $"--production-registries={Production1},{Production2}",
            "--sign", $"--signing-key={key}"];

        HostRunner.Result dryRun;
        using (new ScopedEnvironment())
            dryRun = HostRunner.Run(typeof(BuildContext).Assembly, repo.Path, arguments);
        dryRun.ExitCode.Should().Be(0, dryRun.Output);
        dryRun.Output.Should().MatchRegex(@"would sign each release image \(index children too\) in each production registry with ECDSA P-256 key sha256:[0-9a-f]{64}");
        dryRun.Output.Should().NotContain(File.ReadAllText(key).Split('\n')[1], "the private key never reaches the output");

        HostRunner.Result result;
        using (new ScopedEnvironment())
            result = HostRunner.Run(typeof(BuildContext).Assembly, repo.Path, [.. arguments, "--confirm"]);
        result.ExitCode.Should().Be(0, result.Output);
        result.Output.Should().MatchRegex(@"signing each release image \(index children too\) in each production registry with ECDSA P-256 key sha256:[0-9a-f]{64}");

        var verified = 0;
        foreach (var (host, repository) in new[] { (registries.Production1.Host, $"prod-{_id}/promoter"), (registries.Production2.Host, $"prod-{_id}/mirror/promoter") })
        {
            var manifest = await GetAsync($"http://{host}/v2/{repository}/manifests/v0.4.0",
                "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json");
            var digest = Digest.Of(manifest);
            var sig = await GetAsync($"http://{host}/v2/{repository}/manifests/sha256-{digest.Hex}.sig", "application/vnd.oci.image.manifest.v1+json");
            using var json = JsonDocument.Parse(sig);
            var layers = json.RootElement.GetProperty("layers").EnumerateArray().ToList();
            layers.Should().ContainSingle("one key signed once");
            var layer = layers[0];
            layer.GetProperty("mediaType").GetString().Should().Be("application/vnd.dev.cosign.simplesigning.v1+json");
            var payload = await GetAsync($"http://{host}/v2/{repository}/blobs/{layer.GetProperty("digest").GetString()}", null);
            var signature = Convert.FromBase64String(layer.GetProperty("annotations").GetProperty("dev.cosignproject.cosign/signature").GetString()!);

            using var parsed = JsonDocument.Parse(payload);
            var critical = parsed.RootElement.GetProperty("critical");
            critical.GetProperty("image").GetProperty("docker-manifest-digest").GetString().Should().Be(digest.Value);
            critical.GetProperty("identity").GetProperty("docker-reference").GetString().Should().Be($"{host}/{repository}");
            critical.GetProperty("type").GetString().Should().Be("cosign container image signature");

            OpenSslVerifies(pub, payload, signature).Should().BeTrue($"openssl verifies the signature of {host}/{repository}@{digest}");
            OpenSslVerifies(otherPub, payload, signature).Should().BeFalse("another key does not verify it");
            var tampered = (byte[])payload.Clone();
            var at = payload.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(digest.Hex));
            tampered[at] = tampered[at] == (byte)'a' ? (byte)'b' : (byte)'a';
            OpenSslVerifies(pub, tampered, signature).Should().BeFalse("a payload naming another digest does not verify");
            verified++;
        }
        verified.Should().Be(2);
    }

    [Fact]
    public void Sign_without_a_key_fails_before_anything_is_pushed()
    {
        using var repo = Bumped("0.5.0");
        HostRunner.Result result;
        using (new ScopedEnvironment())
            result = HostRunner.Run(typeof(BuildContext).Assembly, repo.Path, ["--target", "PromoteRelease", "--confirm",
                $"--staging-registry={Staging}", $"--production-registries={Production1}", "--sign"]);
        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain("--sign needs --signing-key=FILE").And.NotContain("pushed ");
    }

    private ScriptedRepository Bumped(string version)
    {
        var repo = ScriptedRepository.CreateEmpty();
        var from = Path.Combine(PromoteReleaseTests.RepositoryRoot, "images/release");
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(repo.Path, "images/release", Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        repo.Commit("Release 0.1.0", ("VERSION", "0.1.0\n"));
        repo.Git("tag", "v0.1.0");
        repo.Commit($"VERSION {version}", ("VERSION", version + "\n"));
        return repo;
    }

    private static async Task<byte[]> GetAsync(string url, string? accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }

    private bool OpenSslVerifies(string publicKey, byte[] payload, byte[] signature)
    {
        var id = Guid.NewGuid().ToString("N");
        var payloadFile = Path.Combine(_folder, id + ".payload");
        var signatureFile = Path.Combine(_folder, id + ".der");
        File.WriteAllBytes(payloadFile, payload);
        File.WriteAllBytes(signatureFile, signature);
        var (code, output) = Run("openssl", "dgst", "-sha256", "-verify", publicKey, "-signature", signatureFile, payloadFile);
        return code == 0 && output.Contains("Verified OK", StringComparison.Ordinal);
    }

    private static void OpenSsl(params string[] args)
    {
        var (code, output) = Run("openssl", args);
        code.Should().Be(0, output);
    }

    private static (int Code, string Output) Run(string file, params string[] args)
    {
        var result = ExternalTool.Run(file, args);
        return (result.ExitCode, result.Combined);
    }
}
