using Build.Settings;
using Build.Tests.Harness;
using FluentAssertions;
using Xunit;

namespace Build.Tests.Settings;

/// <summary>The declared settings of the build program: unknown arguments, families checked when their task runs, help, README.</summary>
public sealed class SettingsTests
{
    [Fact]
    public void An_unknown_argument_fails_before_any_task_runs_and_names_the_closest_settings()
    {
        var result = BuildProgram.Run("--target", "ContainerizeGolden", "--verifyy");

        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain("Unknown argument '--verifyy'").And.Contain("Did you mean --verify");
        result.Output.Should().NotContain("golden archives verified", "no task may run");
        result.Output.Should().NotContain("ContainerizeGolden  ", "the run summary of a run that never started is not printed");
    }

    [Fact]
    public void A_bare_unknown_flag_is_refused_instead_of_running_the_default_target()
    {
        var result = BuildProgram.Run("--bootstrap");

        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain("Unknown argument '--bootstrap'");
        result.Output.Should().NotContain("Restore", "the Default target must not start");
    }

    [Fact]
    public void Cake_configuration_keys_pass_as_arguments()
    {
        var result = BuildProgram.Run("--target", "PurgeDest", "--dryrun", "--settings_noreport=true");

        result.ExitCode.Should().Be(0, result.Output);
    }

    [Theory]
    [InlineData("--allow_prerelease", "did you mean --allow-prerelease")]
    [InlineData("--golden_archives=x", "did you mean --golden-archives")]
    [InlineData("--cip_engine=docker", "Unknown argument '--cip_engine'")]
    public void Underscored_and_foreign_section_keys_are_refused(string argument, string message)
    {
        var result = BuildProgram.Run("--target", "PurgeDest", "--dryrun", argument);

        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain(message);
    }

    [Fact]
    public void A_bad_setting_of_another_task_does_not_fail_a_run_that_does_not_read_it()
    {
        var other = BuildProgram.Run("--target", "ContainerizeGolden", "--verify", "--threads=many", "--production-registries=UPPER/x");
        var own = BuildProgram.Run("--target", "Promote", "--exclusive", "--threads=many", "--manifest=manifests/e2e/fixture/sanity/promoter-manifest.yaml");

        other.ExitCode.Should().Be(0, other.Output);
        own.ExitCode.Should().NotBe(0);
        own.Output.Should().Contain("Setting 'threads' (from the argument --threads): expected a whole number from 1 to 256, got 'many'.");
    }

    [Fact]
    public void Promote_settings_are_checked_as_a_whole()
    {
        var result = BuildProgram.Run("--target", "Promote", "--manifest=a.yaml", "--thin-manifest-dir=b");

        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain("Contradictory settings: --manifest (from the argument --manifest) and --thin-manifest-dir (from the argument --thin-manifest-dir)");
    }

    [Fact]
    public void The_metadata_server_setting_takes_an_http_url_only()
    {
        var result = BuildProgram.Run("--target", "Promote", "--manifest=manifests/e2e/fixture/sanity/promoter-manifest.yaml",
            "--metadata-server=https://metadata.example/");

        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain("Setting 'metadata-server' (from the argument --metadata-server): expected an http:// URL");
    }

    [Fact]
    public void The_engine_setting_names_what_it_expects()
    {
        var result = BuildProgram.Run("--target", "LoadTarballs", "--engine=podman");

        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain("Setting 'engine' (from the argument --engine): expected oci or docker, got 'podman'.");
    }

    [Fact]
    public void The_settings_reference_is_generated_from_the_declarations_and_every_setting_is_in_help()
    {
        const string marker = "<!-- generated from BuildSettings.All by BuildSettings.ReferenceMarkdown(); do not edit below -->\n";
        var path = Path.Combine(BuildProgram.RepositoryRoot, BuildSettings.ReferenceFile);
        var text = File.ReadAllText(path);
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        at.Should().BeGreaterThan(0, $"{BuildSettings.ReferenceFile} holds the generated table after its marker");
        var expected = text[..(at + marker.Length)] + BuildSettings.ReferenceMarkdown();
        if (text != expected)
        {
            // What the file should hold, for the developer to copy: the declarations are the source.
            var fresh = Path.Combine(BuildProgram.RepositoryRoot, ".build", "settings-reference.md");
            Directory.CreateDirectory(Path.GetDirectoryName(fresh)!);
            File.WriteAllText(fresh, expected);
            text.Should().Be(expected, $"{BuildSettings.ReferenceFile} must be what the declarations generate (the expected file is {fresh})");
        }
        File.ReadAllText(Path.Combine(BuildProgram.RepositoryRoot, "README.md")).Should().Contain(BuildSettings.ReferenceFile, "the README links the reference");

        var help = RunProgram("--help");
        foreach (var setting in BuildSettings.All) help.Should().Contain($"--{setting.Name} {setting.Type}");
        BuildSettings.All.Select(s => s.Name).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Every_declaration_field_is_listed_in_All()
    {
        // The presubmit, pull-request and offline flags are declared in nested classes (BuildSettings.Presubmit.cs, .PullRequests.cs,
        // .Offline.cs), so they initialise before All: every public nested class counts.
        var fields = typeof(BuildSettings).GetNestedTypes().Prepend(typeof(BuildSettings))
            .SelectMany(t => t.GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static))
            .Where(f => typeof(SettingDeclaration).IsAssignableFrom(f.FieldType))
            .Select(f => (SettingDeclaration)f.GetValue(null)!);

        BuildSettings.All.Should().BeEquivalentTo(fields);
    }

    [Fact]
    public void Environment_and_config_names_follow_the_setting_name()
    {
        BuildSettings.GoldenArchives.EnvironmentVariable.Should().Be("CIP_GOLDEN_ARCHIVES");
        BuildSettings.GoldenArchives.ConfigKey.Should().Be("GoldenArchives");
        BuildSettings.Engine.ConfigKey.Should().Be("Engine");
    }

    /// <summary>Runs the compiled build program (the Build.dll beside the tests) as a process and returns its output.</summary>
    private static string RunProgram(params string[] args) => BuildProgram.RunProcess(args).EnsureSuccess().Output;
}
