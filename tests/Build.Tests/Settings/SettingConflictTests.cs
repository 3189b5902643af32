using Build.Settings;
using Build.Tests.Harness;
using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using FluentAssertions;
using Xunit;

namespace Build.Tests.Settings;

/// <summary>
/// The declared conflicts of <see cref="BuildSettings.Conflicts"/> (issue 22, item 5): every pair is refused by the
/// reader from every shape of sources, naming both settings and where each came from; pairs that agree pass.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class SettingConflictTests
{
    /// <summary>Where a test puts a setting's text.</summary>
    public enum From { Argument, Environment, Config }

    private static readonly (From First, From Second)[] Shapes =
    [
        (From.Argument, From.Argument), (From.Argument, From.Environment), (From.Environment, From.Argument),
        (From.Environment, From.Environment), (From.Config, From.Argument), (From.Environment, From.Config), (From.Config, From.Config),
    ];

    public static TheoryData<int, From, From> EveryConflictFromEverySourceShape()
    {
        var data = new TheoryData<int, From, From>();
        for (var i = 0; i < BuildSettings.Conflicts.Count; i++)
            foreach (var (first, second) in Shapes)
                data.Add(i, first, second);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryConflictFromEverySourceShape))]
    public void A_declared_conflict_is_refused_naming_both_settings_and_their_sources(int index, From first, From second)
    {
        var conflict = BuildSettings.Conflicts[index];
        var sources = new Sources();
        sources.Set(first, conflict.First);
        sources.Set(second, conflict.Second);

        // Reading either side refuses the pair.
        foreach (var side in new[] { conflict.First.Setting, conflict.Second.Setting })
        {
            var reader = sources.Reader();
            var act = () => reader.CheckConflicts(side);
            act.Should().Throw<CakeException>().WithMessage(
                $"Contradictory settings: {conflict.First.Shown} ({Expected(first, conflict.First.Setting)}) and " +
                $"{conflict.Second.Shown} ({Expected(second, conflict.Second.Setting)}): {conflict.Why}. Give only one of them.");
        }
    }

    [Fact]
    public void Every_side_of_the_table_is_a_declared_setting_and_no_pair_is_listed_twice()
    {
        var declared = BuildSettings.All.ToHashSet();
        BuildSettings.Conflicts.Should().OnlyContain(c => declared.Contains(c.First.Setting) && declared.Contains(c.Second.Setting));
        BuildSettings.Conflicts.Select(c => c.First.Shown + " " + c.Second.Shown).Should().OnlyHaveUniqueItems();
    }

    [Theory]
    [InlineData("confirm=true", "dry-run=false")]
    [InlineData("dry-run=true", "")]
    [InlineData("confirm=false", "dry-run=true")]
    [InlineData("snapshot=127.0.0.1:5000/x", "confirm=false")]
    [InlineData("parse-only=false", "confirm=true")]
    [InlineData("manifest=a.yaml", "thin-manifest-dir=")]
    public void Settings_that_agree_are_not_refused(string a, string b)
    {
        var sources = new Sources();
        foreach (var pair in new[] { a, b }.Where(p => p.Length > 0 && !p.EndsWith('=')))
        {
            var (name, value) = (pair.Split('=')[0], pair.Split('=')[1]);
            sources.Arguments[name] = value;
        }
        var reader = sources.Reader();
        foreach (var setting in BuildSettings.All)
            reader.Invoking(r => r.CheckConflicts(setting)).Should().NotThrow();
    }

    [Fact]
    public void The_winning_source_decides_so_an_argument_that_overrides_the_environment_settles_it()
    {
        var sources = new Sources();
        sources.Arguments["confirm"] = "";
        sources.Environment["CIP_DRY_RUN"] = "true";
        sources.Arguments["dry-run"] = "false";
        var reader = sources.Reader();

        reader.Get(BuildSettings.Confirm).Should().BeTrue();
        reader.Get(BuildSettings.DryRun).Should().BeFalse();
    }

    [Fact]
    public void Get_checks_the_conflicts_of_the_setting_it_reads()
    {
        var sources = new Sources();
        sources.Arguments["confirm"] = "";
        sources.Environment["CIP_DRY_RUN"] = "true";
        var reader = sources.Reader();

        reader.Invoking(r => r.Get(BuildSettings.Threads)).Should().NotThrow("threads takes part in no conflict");
        reader.Invoking(r => r.Get(BuildSettings.DryRun)).Should().Throw<CakeException>().WithMessage(
            "Contradictory settings: --confirm (from the argument --confirm) and --dry-run=true (from the environment variable CIP_DRY_RUN): " +
            "--confirm promotes, a dry run writes nothing. Give only one of them.");
    }

    [Fact]
    public void Promote_with_confirm_and_dry_run_true_is_refused_before_any_request()
    {
        var result = BuildProgram.Run("--target", "Promote", "--manifest=manifests/e2e/fixture/sanity/promoter-manifest.yaml",
            "--confirm", "--dry-run=true");

        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain("Contradictory settings: --confirm (from the argument --confirm) and --dry-run=true (from the argument --dry-run)")
            .And.NotContain("plan:", "nothing is planned");
    }

    [Fact]
    public void Promote_with_confirm_from_the_environment_and_a_bare_dry_run_argument_is_refused()
    {
        Environment.SetEnvironmentVariable("CIP_CONFIRM", "true");
        HostRunner.Result result;
        try
        {
            result = BuildProgram.Run("--target", "Promote", "--manifest=manifests/e2e/fixture/sanity/promoter-manifest.yaml", "--dry-run");
        }
        finally { Environment.SetEnvironmentVariable("CIP_CONFIRM", null); }

        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain("Contradictory settings: --confirm (from the environment variable CIP_CONFIRM) and --dry-run=true (from the argument --dry-run)");
    }

    [Fact]
    public void A_run_that_reads_neither_setting_is_not_concerned()
    {
        var result = BuildProgram.Run("--target", "PurgeDest", "--dryrun", "--confirm", "--dry-run=true");

        result.ExitCode.Should().Be(0, result.Output);
    }

    private static string Expected(From from, SettingDeclaration setting) => from switch
    {
        From.Argument => $"from the argument --{setting.Name}",
        From.Environment => $"from the environment variable {setting.EnvironmentVariable}",
        _ => $"from cake.config [Cip] {setting.ConfigKey}",
    };

    /// <summary>The three sources of a reader, filled by a test.</summary>
    private sealed class Sources
    {
        public Dictionary<string, string> Arguments { get; } = new(StringComparer.OrdinalIgnoreCase);
        public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, string> Config { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>Puts the text that makes <paramref name="condition"/> hold into <paramref name="from"/>.</summary>
        public void Set(From from, SettingCondition condition)
        {
            // "--name=value" gives value; a bare "--name" (a flag on, or any given setting) gives "true" or a sample text.
            var equals = condition.Shown.IndexOf('=');
            var text = equals >= 0 ? condition.Shown[(equals + 1)..] : condition.Setting.IsFlag ? "true" : "127.0.0.1:5000/sample";
            switch (from)
            {
                case From.Argument: Arguments[condition.Setting.Name] = text; break;
                case From.Environment: Environment[condition.Setting.EnvironmentVariable] = text; break;
                default: Config[$"{SettingDeclaration.ConfigSection}_{condition.Setting.ConfigKey}"] = text; break;
            }
        }

        public SettingReader Reader() => new(new Args(Arguments), new Configuration(Config), name => Environment.GetValueOrDefault(name),
            new SilentLog(), BuildSettings.Conflicts);
    }

    private sealed class Args(Dictionary<string, string> values) : ICakeArguments
    {
        public bool HasArgument(string name) => values.ContainsKey(name);
        public ICollection<string> GetArguments(string name) => values.TryGetValue(name, out var v) ? [v] : [];
        public IDictionary<string, ICollection<string>> GetArguments() => values.ToDictionary(p => p.Key, p => (ICollection<string>)[p.Value]);
    }

    private sealed class Configuration(Dictionary<string, string> values) : ICakeConfiguration
    {
        public string GetValue(string key) => values.GetValueOrDefault(key)!;
    }

    private sealed class SilentLog : ICakeLog
    {
        public Verbosity Verbosity { get; set; } = Verbosity.Quiet;
        public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args) { }
    }
}
