using FluentAssertions;
using Promoter.Promotion.Engine;
using Xunit;

namespace Promoter.Tests.Promotion.Engine;

public class PromotionRequestTests
{
    [Fact]
    public void Parses_upstream_e2e_invocation_flags()
    {
        var request = PromotionRequest.Parse([
            "--dry-run=false",
            "--thin-manifest-dir=/repo/test-e2e/cip/fixture/recursive-thin", "--threads=3",
        ]);

        request.ThinManifestDirectory.Should().Be("/repo/test-e2e/cip/fixture/recursive-thin");
        request.Manifest.Should().BeNull();
        request.Policy.Confirm.Should().BeTrue("--dry-run=false writes");
        request.Policy.Should().Be(new PromotionPolicy { Confirm = true, Threads = 3, AllowTagMoves = false });
    }

    [Fact]
    public void Defaults_to_a_dry_run_and_accepts_space_separated_values()
    {
        var request = PromotionRequest.Parse(["--manifest", "promoter-manifest.yaml"]);
        request.Manifest.Should().Be("promoter-manifest.yaml");
        request.Policy.Should().Be(new PromotionPolicy(), "a dry run with upstream's defaults");

        PromotionRequest.Parse(["--manifest=m.yaml", "--confirm", "--allow-tag-moves"]).Should().Match<PromotionRequest>(
            r => r.Policy.Confirm && r.Policy.AllowTagMoves);
        PromotionRequest.Parse(["--manifest=m.yaml", "--confirm=true", "--dry-run"]).Policy.Confirm.Should().BeFalse("the last flag wins");
        PromotionRequest.Parse(["--manifest=m.yaml", "--allow-tag-moves=0"]).Policy.AllowTagMoves.Should().BeFalse();
        PromotionRequest.Parse(["--manifest=m.yaml"]).Policy.CopyAttachments.Should().BeTrue("attachments travel by default");
        PromotionRequest.Parse(["--manifest=m.yaml", "--copy-attachments=false"]).Policy.CopyAttachments.Should().BeFalse();
    }

    [Fact]
    public void Parses_isolate_edges_and_require_source()
    {
        var request = PromotionRequest.Parse(["--manifest=m.yaml", "--isolate-edges", "--require-source"]);
        request.Policy.IsolateEdges.Should().BeTrue();
        request.Policy.LostEdges.Should().Be(LostEdgePolicy.Fail);
        PromotionRequest.Parse(["--manifest=m.yaml"]).Policy.LostEdges.Should().Be(LostEdgePolicy.WarnAndSkip, "upstream skips lost edges by default");
    }

    [Fact]
    public void Every_kpromo_flag_is_classified_once_and_every_rejected_one_is_refused_by_the_parser()
    {
        KpromoFlags.All.Select(f => f.Name).Should().OnlyHaveUniqueItems();
        foreach (var flag in KpromoFlags.All.Where(f => f.Status == KpromoFlagStatus.Rejected))
        {
            var parse = () => PromotionRequest.Parse(["--manifest=m.yaml", $"--{flag.Name}=x"]);
            parse.Should().Throw<FormatException>().Which.Message.Should().Contain($"kpromo's --{flag.Name} is not implemented");
        }
    }

    [Theory]
    [InlineData(new[] { "--dry-run=false" }, "a promotion needs exactly one of --manifest=FILE and --thin-manifest-dir=DIR.")]
    [InlineData(new[] { "--manifest=a", "--thin-manifest-dir=b" }, "a promotion needs exactly one of --manifest=FILE and --thin-manifest-dir=DIR.")]
    [InlineData(new[] { "--manifest=a", "--bogus=1" }, "promotion argument '--bogus=1' is unknown; expected --manifest, --thin-manifest-dir, --confirm, --dry-run, --threads, --allow-tag-moves, --isolate-edges, --require-source, --verify-destination, --copy-attachments, --sign, --signing-key, --signing-key-passphrase-file, --signing-key-passphrase-env or --require-signature.")]
    [InlineData(new[] { "--manifest=a", "--log-level=debug" }, "promotion argument '--log-level=debug': kpromo's --log-level is not implemented by this project and is refused rather than ignored: this project's log level is Cake's --verbosity (-v quiet|minimal|normal|verbose|diagnostic).")]
    [InlineData(new[] { "--manifest=a", "--signer-account=x" }, "promotion argument '--signer-account=x': kpromo's --signer-account is not implemented by this project and is refused rather than ignored: keyless signing (Fulcio, a service account's identity) is not implemented; --sign signs with --signing-key.")]
    [InlineData(new[] { "--manifest=a", "positional" }, "promotion argument 'positional': expected --name=value.")]
    [InlineData(new[] { "--manifest" }, "promotion argument --manifest needs a value.")]
    [InlineData(new[] { "--manifest", "--confirm" }, "promotion argument --manifest needs a value.")]
    [InlineData(new[] { "--manifest=a", "--threads=0" }, "promotion argument --threads: expected a whole number from 1 to 256, got '0'.")]
    [InlineData(new[] { "--manifest=a", "--threads=many" }, "promotion argument --threads: expected a whole number from 1 to 256, got 'many'.")]
    [InlineData(new[] { "--manifest=a", "--threads=-2" }, "promotion argument --threads: expected a whole number from 1 to 256, got '-2'.")]
    [InlineData(new[] { "--manifest=a", "--dry-run=maybe" }, "promotion argument --dry-run: expected true or false, got 'maybe'.")]
    [InlineData(new[] { "--manifest=a", "--copy-attachments=maybe" }, "promotion argument --copy-attachments: expected true or false, got 'maybe'.")]
    [InlineData(new[] { "--manifest=a", "--sign" }, "--sign needs --signing-key=FILE (a PEM EC P-256 private key).")]
    [InlineData(new[] { "--manifest=a", "--signing-key=k.pem" }, "--signing-key and its passphrase flags are only read with --sign.")]
    public void Rejects_bad_arguments_with_a_message_naming_them(string[] arguments, string message)
    {
        var parse = () => PromotionRequest.Parse(arguments);
        parse.Should().Throw<FormatException>().Which.Message.Should().Be(message);
    }
}
