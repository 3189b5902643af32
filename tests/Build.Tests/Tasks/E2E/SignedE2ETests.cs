using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Build.Tests.Harness;
using FluentAssertions;
using Promoter.Tests.Support;
using Xunit;

namespace Build.Tests.Tasks.E2E;

/// <summary>
/// The e2e suite's signed case (issue 12) through the real build program: the E2E task seeds the golden set, attaches the
/// committed test-only signatures, attestations and SBOM referrers, promotes to three Distribution processes, checks the
/// snapshots (the .sig/.att/sha256-&lt;hex&gt; tags in every dmap) and has OpenSSL verify every destination signature.
/// A wrong public key and a fixture signature of another digest must each fail the run, naming what did not verify.
/// </summary>
[LongRunning]
public sealed partial class SignedE2ETests : IDisposable
{
    private const string Case = "signed and attested golden images into three registries";
    private readonly string _folder = Directory.CreateTempSubdirectory("signed-e2e-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [GeneratedRegex(@"signatures (?<dest>\S+): (?<digests>\d+) digest\(s\), (?<sigs>\d+) \.sig signature\(s\) and (?<atts>\d+) \.att envelope signature\(s\) verified by openssl, (?<refs>\d+) referrer\(s\); tampered payload (?<tamper>rejected|NOT rejected)(; (?<records>\d+) promotion record\(s\) verified by openssl; tampered record (of (?<trec>\S+) rejected|NOT rejected))?")]
    private static partial Regex AuditLine();

    [Fact]
    public void The_signed_case_of_the_suite_passes_and_openssl_verifies_every_destination_signature()
    {
        // The case as the committed suite holds it, alone (CI runs the whole suite, and E2ETaskTests the task's other paths).
        var suite = File.ReadAllText(Path.Combine(BuildProgram.RepositoryRoot, "manifests", "e2e", "tests.yaml"));
        var file = Path.Combine(_folder, "signed.yaml");
        File.WriteAllText(file, suite[suite.LastIndexOf($"- name: \"{Case}\"", StringComparison.Ordinal)..]);

        var result = BuildProgram.Run("--target", "LoadTarballs", "--target", "E2E", "--exclusive", $"--e2e-file={file}");

        result.ExitCode.Should().Be(0, result.Output);
        result.Output.Should().Contain("E2E: 1 passed, 0 failed");
        result.Output.Should().MatchRegex($@"\[{Regex.Escape(Case)}\] +[0-9.]+s PASSED");
        result.Output.Should().Contain($"[{Case}]").And.Contain("attached a signature, an attestation and an SBOM referrer to 6 digest(s) of staging.registry.test/k8s-staging-cip-test");
        var audits = AuditLine().Matches(result.Output).ToDictionary(m => m.Groups["dest"].Value);
        audits.Keys.Should().BeEquivalentTo("us.registry.test/signed", "eu.registry.test/signed", "asia.registry.test/signed");
        foreach (var audit in audits.Values)
        {
            // golden-foo/foo: the index, its three children and the tagless image; golden-bar/bar: one image.
            audit.Groups["digests"].Value.Should().Be("6");
            audit.Groups["sigs"].Value.Should().Be("12", "every digest's two signatures (the source's, the run's --sign) verify with openssl");
            audit.Groups["atts"].Value.Should().Be("6", "every digest's attestation envelope verifies with openssl");
            audit.Groups["refs"].Value.Should().Be("6");
            audit.Groups["tamper"].Value.Should().Be("rejected");
            audit.Groups["records"].Value.Should().Be("6", "every digest's promotion record verifies with openssl over its DSSE PAE");
            audit.Groups["trec"].Value.Should().StartWith(audit.Groups["dest"].Value + "/golden-").And.Contain("@sha256:",
                "a tampered record fails, named by destination and digest");
        }
        result.Output.Should().MatchRegex(@"snapshot after us\.registry\.test/signed: 18 digest\(s\) made by the case's signing key left to the audit");
    }

    [Fact]
    public void A_wrong_public_key_or_a_signature_of_another_digest_fails_the_case_naming_what_did_not_verify_and_require_signature_refuses_it()
    {
        var root = BuildProgram.RepositoryRoot;
        var fixtureFolder = Path.Combine(root, "manifests", "e2e", "fixture", "signed");
        var suite = File.ReadAllText(Path.Combine(root, "manifests", "e2e", "tests.yaml"));
        var required = suite[suite.LastIndexOf($"- name: \"{Case}\"", StringComparison.Ordinal)..];
        // Without the promotion's own --require-signature check, so that the OpenSSL audit is what must catch each fault.
        const string RequireLine = "  - \"--require-signature=$PWD/manifests/e2e/fixture/signed/test-only-cosign.pub\"\n";
        required.Should().Contain(RequireLine);
        var signedCase = required.Replace(RequireLine, "");

        // Another key, made by openssl: every signature must fail.
        RunOpenSsl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", Path.Combine(_folder, "other.pem"));
        RunOpenSsl("pkey", "-in", Path.Combine(_folder, "other.pem"), "-pubout", "-out", Path.Combine(_folder, "other.pub"));
        var wrongKey = signedCase.Replace("$PWD/manifests/e2e/fixture/signed/test-only-cosign.pub", Path.Combine(_folder, "other.pub"))
            .Replace($"\"{Case}\"", "\"wrong key\"");

        // The fixture with golden-bar's signature replaced by golden-foo index's: a valid signature, of another payload.
        var fixture = JsonNode.Parse(File.ReadAllText(Path.Combine(fixtureFolder, "test-only-signatures.json")))!;
        var signatures = fixture["signatures"]!.AsArray();
        var bar = signatures.First(s => s!["reference"]!.GetValue<string>().EndsWith("/golden-bar/bar", StringComparison.Ordinal))!;
        var fooIndex = signatures.First(s => s!["digest"]!.GetValue<string>() == GoldenDigests.Project.FooList)!;
        bar["signature"] = fooIndex["signature"]!.GetValue<string>();
        File.WriteAllText(Path.Combine(_folder, "swapped.json"), fixture.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var swapped = signedCase.Replace("$PWD/manifests/e2e/fixture/signed/test-only-signatures.json", Path.Combine(_folder, "swapped.json"))
            .Replace($"\"{Case}\"", "\"swapped signature\"");
        // The same swapped signature with --require-signature: the promotion itself refuses golden-bar/bar.
        var refused = required.Replace("$PWD/manifests/e2e/fixture/signed/test-only-signatures.json", Path.Combine(_folder, "swapped.json"))
            .Replace($"\"{Case}\"", "\"swapped signature, required\"");
        var file = Path.Combine(_folder, "bad-signatures.yaml");
        File.WriteAllText(file, wrongKey + "\n" + swapped + "\n" + refused);

        var result = BuildProgram.Run("--target", "LoadTarballs", "--target", "E2E", "--exclusive", $"--e2e-file={file}");

        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain("E2E: 0 passed, 3 failed");
        var audits = AuditLine().Matches(result.Output).Select(m => m.Groups).ToList();
        audits.Should().HaveCount(6);
        // Wrong key: nothing of the source verifies (only the run's own --sign signatures do, with the run's key), and the
        // tampered check has no verified source signature to tamper with.
        audits.Take(3).Should().OnlyContain(g => g["sigs"].Value == "6" && g["atts"].Value == "0" && g["digests"].Value == "6" && g["records"].Value == "6");
        result.Output.Should().Contain("e2e test 'wrong key' failed")
            .And.Contain($"the signature of {GoldenDigests.Project.FooList.Replace(':', '-')}.sig layer")
            .And.Contain("does not verify with other.pub");
        // Swapped: golden-bar's one signature fails in every destination, the five others verify; the snapshot differs too.
        audits.Skip(3).Should().OnlyContain(g => g["sigs"].Value == "11" && g["atts"].Value == "6" && g["tamper"].Value == "rejected");
        result.Output.Should().Contain("e2e test 'swapped signature' failed")
            .And.MatchRegex("golden-bar/bar@" + GoldenDigests.Project.Bar + ": the signature of " + GoldenDigests.Project.Bar.Replace(':', '-')
                + @"\.sig layer sha256:[0-9a-f]{64} does not verify with test-only-cosign\.pub");
        // Required: refused before anything is written (no audit line for it: the promotion failed).
        result.Output.Should().Contain("e2e test 'swapped signature, required' failed: promotion failed")
            .And.MatchRegex("golden-bar/bar@" + GoldenDigests.Project.Bar + " has no signature valid for key sha256:[0-9a-f]{64}");
    }

    [Fact]
    public void New_test_signatures_rewrite_the_fixture_and_public_key_only_and_openssl_verifies_them()
    {
        var root = BuildProgram.RepositoryRoot;
        var suite = File.ReadAllText(Path.Combine(root, "manifests", "e2e", "tests.yaml"));
        var committed = File.ReadAllText(Path.Combine(root, "manifests", "e2e", "fixture", "signed", "test-only-signatures.json"));
        var signedCase = suite[suite.LastIndexOf($"- name: \"{Case}\"", StringComparison.Ordinal)..]
            .Replace("$PWD/manifests/e2e/fixture/signed/test-only-signatures.json", Path.Combine(_folder, "new", "sigs.json"))
            .Replace("$PWD/manifests/e2e/fixture/signed/test-only-cosign.pub", Path.Combine(_folder, "new", "test-only-cosign.pub"));
        var file = Path.Combine(_folder, "new-signatures.yaml");
        File.WriteAllText(file, signedCase);

        var result = BuildProgram.Run("--target", "LoadTarballs", "--target", "E2E", "--exclusive", $"--e2e-file={file}", "--e2e-new-test-signatures");

        // New signatures are new .sig/.att digests: the committed snapshot no longer matches (the run says so and prints the
        // actual one), but every signature verifies with the public key written beside the fixture.
        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain("snapshot after us.registry.test/signed differs from the expectation").And.Contain("actual snapshot:");
        var audits = AuditLine().Matches(result.Output).Select(m => m.Groups).ToList();
        audits.Should().HaveCount(3).And.OnlyContain(g => g["sigs"].Value == "12" && g["atts"].Value == "6" && g["tamper"].Value == "rejected");
        Directory.GetFiles(Path.Combine(_folder, "new")).Select(Path.GetFileName).Should().BeEquivalentTo("sigs.json", "test-only-cosign.pub");
        File.ReadAllText(Path.Combine(_folder, "new", "test-only-cosign.pub")).Should().StartWith("-----BEGIN PUBLIC KEY-----");
        var written = File.ReadAllText(Path.Combine(_folder, "new", "sigs.json"));
        written.Should().Contain("TEST-ONLY").And.NotContain("PRIVATE");
        JsonNode.Parse(written)!["signatures"]!.AsArray().Should().HaveCount(6);
        File.ReadAllText(Path.Combine(root, "manifests", "e2e", "fixture", "signed", "test-only-signatures.json")).Should().Be(committed);
    }

    private static void RunOpenSsl(params string[] args) => ExternalTool.Run("openssl", args).EnsureSuccess();
}
