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
            "--dry-run=false", "--log-level=debug", "--use-service-account",
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

    [Theory]
    [InlineData(new[] { "--dry-run=false" }, "a promotion needs exactly one of --manifest=FILE and --thin-manifest-dir=DIR.")]
    [InlineData(new[] { "--manifest=a", "--thin-manifest-dir=b" }, "a promotion needs exactly one of --manifest=FILE and --thin-manifest-dir=DIR.")]
    [InlineData(new[] { "--manifest=a", "--bogus=1" }, "promotion argument '--bogus=1' is unknown; expected --manifest, --thin-manifest-dir, --confirm, --dry-run, --threads, --allow-tag-moves, --copy-attachments, --sign, --signing-key, --signing-key-passphrase-file, --signing-key-passphrase-env or --require-signature.")]
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
