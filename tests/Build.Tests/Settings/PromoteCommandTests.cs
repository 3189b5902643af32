using Build.Host;
using Build.Settings;
using Build.Tests.Harness;
using Cake.Core;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Promoter.Promotion.Engine;
using Xunit;

namespace Build.Tests.Settings;

/// <summary>
/// One parser for Promote: every setting of the command model read from a real command line (Spectre's parsing, Cake's
/// arguments, the build program's host and <see cref="BuildContext"/>) and from an e2e <c>invocation:</c>
/// (<see cref="InvocationParser"/>) gives the same <see cref="PromoteCommand"/>, and a bad value the same error.
/// </summary>
public sealed class PromoteCommandTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("promote-command-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    /// <summary>Records the command (or the refusal) a real host run reads.</summary>
    [TaskName("CapturePromoteCommand")]
    private sealed class CaptureTask : FrostingTask<BuildContext>
    {
        public static PromoteCommand? Command;
        public static string? Error;

        public override void Run(BuildContext context)
        {
            try { Command = context.Settings.Promote(); Error = null; }
            catch (CakeException e) { Command = null; Error = e.Message; }
        }
    }

    private (PromoteCommand? Command, string? Error, string Output) FromCommandLine(string[] words)
    {
        // A run in its own folder holds HostRunner's working-directory gate alone, so no other host sees CaptureTask meanwhile.
        CaptureTask.Command = null;
        CaptureTask.Error = null;
        var result = HostRunner.RunHost(host => host.UseContext<BuildContext>()
            .ConfigureServices(s => s.AddSingleton(typeof(IFrostingTask), typeof(CaptureTask))),
            _work, ["--target", "CapturePromoteCommand", .. words]);
        return (CaptureTask.Command, CaptureTask.Error, result.Output);
    }

    private (PromoteCommand? Command, string? Error) FromInvocation(string[] words)
    {
        try { return (InvocationParser.Read(words, _work), null); }
        catch (CakeException e) { return (null, e.Message); }
    }

    /// <summary>A sample use of every setting the command model reads: the setting, and the words that give it.</summary>
    public static TheoryData<string, string[]> EverySetting() => new()
    {
        { "manifest", ["--manifest=m.yaml"] },
        { "thin-manifest-dir", ["--thin-manifest-dir", "thin"] },
        { "threads", ["--manifest=m.yaml", "--threads=3"] },
        { "confirm", ["--manifest=m.yaml", "--confirm"] },
        { "dry-run", ["--manifest=m.yaml", "--dry-run=false"] },
        { "allow-tag-moves", ["--manifest=m.yaml", "--allow-tag-moves=yes"] },
        { "plan-out", ["--manifest=m.yaml", "--plan-out=out/plan.json"] },
        { "snapshot", ["--snapshot=127.0.0.1:5000/prod"] },
        { "copy-attachments", ["--manifest=m.yaml", "--copy-attachments=false"] },
        { "sign", ["--manifest=m.yaml", "--sign", "--signing-key=k.pem"] },
        { "signing-key", ["--manifest=m.yaml", "--sign", "--signing-key", "keys/k.pem"] },
        { "signing-key-passphrase-file", ["--manifest=m.yaml", "--sign", "--signing-key=k.pem", "--signing-key-passphrase-file=p.txt"] },
        { "signing-key-passphrase-env", ["--manifest=m.yaml", "--sign", "--signing-key=k.pem", "--signing-key-passphrase-env=PASS"] },
        { "require-signature", ["--manifest=m.yaml", "--require-signature=k.pub"] },
        { "shard", ["--manifest=m.yaml", "--shard=1/3"] },
        { "shards", ["--manifest=m.yaml", "--shards=4"] },
        { "isolate-edges", ["--manifest=m.yaml", "--isolate-edges"] },
        { "require-source", ["--manifest=m.yaml", "--require-source=true"] },
        { "plan", ["--plan=reviewed.json", "--confirm"] },
        { "parse-only", ["--manifest=m.yaml", "--parse-only"] },
        { "output", ["--manifest=m.yaml", "--manifest-based-snapshot-of=127.0.0.1:5000/prod", "--output=csv"] },
        { "snapshot-tag", ["--snapshot=127.0.0.1:5000/prod", "--snapshot-tag=1.0"] },
        { "minimal-snapshot", ["--snapshot=127.0.0.1:5000/prod", "--minimal-snapshot"] },
        { "manifest-based-snapshot-of", ["--manifest=m.yaml", "--manifest-based-snapshot-of=127.0.0.1:5000/prod"] },
        { "use-prow-manifest-diff", ["--manifest=m.yaml", "--use-prow-manifest-diff"] },
        { "manifest-diff-since", ["--manifest=m.yaml", "--manifest-diff-since=HEAD~1"] },
        { "use-service-account", ["--manifest=m.yaml", "--use-service-account"] },
        { "verify-destination", ["--manifest=m.yaml", "--verify-destination=1"] },
        { "report", ["--manifest=m.yaml", "--report=out/report.html"] },
        { "against-snapshot", ["--manifest=m.yaml", "--against-snapshot=127.0.0.1:5000/prod=snapshots/prod.yaml"] },
        { "require-provenance", ["--manifest=m.yaml", "--require-provenance=k.pub"] },
        { "provenance", ["--manifest=m.yaml", "--require-provenance=k.pub", "--provenance=verify-if-present"] },
        { "provenance-builder-id", ["--manifest=m.yaml", "--require-provenance=k.pub", "--provenance-builder-id=https://example.test/builder"] },
        { "provenance-source-repo", ["--manifest=m.yaml", "--require-provenance", "k.pub", "--provenance-source-repo=github.com/example/app"] },
    };

    [Fact]
    public void The_samples_cover_every_setting_of_the_command_model() =>
        EverySetting().Select(row => (string)row[0]).Should().BeEquivalentTo(BuildSettings.PromoteDeclarations.Select(d => d.Name));

    [Theory]
    [MemberData(nameof(EverySetting))]
    public void Every_setting_reads_the_same_from_the_command_line_and_from_an_invocation(string setting, string[] words)
    {
        var line = FromCommandLine(words);
        var invocation = FromInvocation(words);
        line.Error.Should().BeNull($"--{setting} is valid on the command line ({line.Output})");
        invocation.Error.Should().BeNull($"--{setting} is valid in an invocation");
        invocation.Command.Should().BeEquivalentTo(line.Command, $"--{setting} means the same in both");
        string[] baseline = setting == "manifest" ? ["--thin-manifest-dir=m.yaml"] : ["--manifest=m.yaml"];
        line.Command.Should().NotBeEquivalentTo(FromInvocation(baseline).Command, $"the sample of --{setting} changes the command");
    }

    public static TheoryData<string[]> BadValues() => new()
    {
        new[] { "--manifest=m.yaml", "--threads=0" },
        new[] { "--manifest=m.yaml", "--threads=many" },
        new[] { "--manifest=m.yaml", "--dry-run=maybe" },
        new[] { "--manifest=m.yaml", "--copy-attachments=perhaps" },
        new[] { "--manifest=m.yaml", "--output=xml", "--manifest-based-snapshot-of=127.0.0.1:5000/p" },
        new[] { "--manifest=m.yaml", "--shard=3/3" },
        new[] { "--manifest=m.yaml", "--shards=0" },
        new[] { "--snapshot=not a host" },
        new[] { "--snapshot=127.0.0.1:5000/p", "--snapshot-tag=-bad" },
        new[] { "--manifest=m.yaml", "--confirm", "--dry-run=true" },
        new[] { "--manifest=m.yaml", "--thin-manifest-dir=t" },
        new[] { "--confirm" },
        new[] { "--manifest=m.yaml", "--snapshot-tag=1.0" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void A_bad_value_or_combination_is_refused_with_the_same_message_both_ways(string[] words)
    {
        var line = FromCommandLine(words);
        var invocation = FromInvocation(words);
        line.Error.Should().NotBeNull(line.Output);
        invocation.Error.Should().Be(line.Error);
    }

    [Fact]
    public void Upstreams_invocation_flags_read_as_upstream_means_them()
    {
        var command = InvocationParser.Parse(["--dry-run=false", "--thin-manifest-dir=fixture/recursive-thin", "--threads=3"], _work);
        command.Mode.Should().Be(PromoteMode.Promote);
        command.Inputs.ThinManifestDirectory.Should().Be(Path.Combine(_work, "fixture/recursive-thin"));
        command.Run.Confirm.Should().BeTrue("--dry-run=false writes");
        command.Run.Threads.Should().Be(3);
        command.Request.Policy.LostEdges.Should().Be(LostEdgePolicy.WarnAndSkip, "upstream skips lost edges by default");
        InvocationParser.Parse(["--manifest", "m.yaml"], _work).Run.Confirm.Should().BeFalse("a dry run unless confirmed");
        InvocationParser.Parse(["--manifest=m.yaml", "--require-source"], _work).Request.Policy.LostEdges.Should().Be(LostEdgePolicy.Fail);
    }

    [Theory]
    [InlineData("--snapshot=127.0.0.1:5000/p", "Snapshot")]
    [InlineData("--parse-only", "ParseOnly")]
    public void An_invocation_that_does_not_promote_is_refused(string word, string mode)
    {
        var words = word.StartsWith("--snapshot", StringComparison.Ordinal) ? new[] { word } : ["--manifest=m.yaml", word];
        var parse = () => InvocationParser.Parse(words, _work);
        parse.Should().Throw<CakeException>().WithMessage($"An e2e invocation promotes; it cannot ask for {mode}*");
    }

    [Theory]
    [InlineData("--registry-aliases=gcr.io=127.0.0.1:5000", "--registry-aliases is a setting of the build run, not of a promotion")]
    [InlineData("--bogus=1", "Unknown argument '--bogus'")]
    [InlineData("--settings_noreport=true", "an e2e invocation takes Promote's settings only")]
    [InlineData("--log-level=debug", "kpromo's --log-level is not implemented by this project and is refused rather than ignored")]
    public void An_invocation_takes_promotes_settings_only(string word, string message)
    {
        var parse = () => InvocationParser.Parse(["--manifest=m.yaml", word], _work);
        parse.Should().Throw<CakeException>().Which.Message.Should().Contain(message);
    }

    [Fact]
    public void Every_kpromo_flag_is_classified_once_and_every_rejected_one_is_refused_both_ways()
    {
        KpromoFlags.All.Select(f => f.Name).Should().OnlyHaveUniqueItems();
        foreach (var flag in KpromoFlags.All.Where(f => f.Status == KpromoFlagStatus.Rejected))
        {
            FromInvocation(["--manifest=m.yaml", $"--{flag.Name}=x"]).Error.Should().Contain($"kpromo's --{flag.Name} is not implemented");
            FromCommandLine(["--manifest=m.yaml", $"--{flag.Name}=x"]).Output.Should().Contain($"kpromo's --{flag.Name} is not implemented");
        }
        foreach (var flag in KpromoFlags.All.Where(f => f.Status == KpromoFlagStatus.Implemented))
            BuildSettings.PromoteDeclarations.Should().Contain(d => d.Name == flag.Name, $"kpromo's --{flag.Name} is implemented by a Promote setting");
    }
}
