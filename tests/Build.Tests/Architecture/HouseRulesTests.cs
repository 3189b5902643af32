using System.Reflection;
using System.Text.RegularExpressions;
using Build.Tests.Harness;
using FluentAssertions;
using Promoter;
using Xunit;

namespace Build.Tests.Architecture;

/// <summary>The rules of the house that code can check: one exception family, errors at the Cake boundary, settings read in one
/// file. The layers are <see cref="NamespaceDependencyTests"/>.</summary>
public sealed class HouseRulesTests
{
    private static readonly string Root = BuildProgram.RepositoryRoot;

    [Fact]
    public void Every_library_exception_belongs_to_the_one_family()
    {
        var exceptions = typeof(PromoterException).Assembly.GetTypes()
            .Where(t => typeof(Exception).IsAssignableFrom(t) && t.IsPublic);

        exceptions.Should().OnlyContain(t => typeof(PromoterException).IsAssignableFrom(t));
        typeof(PromoterRefusalException).Assembly.GetTypes().Where(t => t.Name.Contains("Refused")).Should()
            .OnlyContain(t => typeof(PromoterRefusalException).IsAssignableFrom(t), "domain refusals are their own kind");
    }

    [Fact]
    public void A_library_error_reaches_the_cake_boundary_once_as_one_line_and_a_bug_keeps_its_stack_at_diagnostic()
    {
        var library = BuildProgram.Run("--target", "PushSrc", "--registry=127.0.0.1:1/x");
        var bug = HostRunner.RunGraph(typeof(Build.Tests.Host.Graph.ATask).Assembly, Path.GetTempPath(), "--target", "Boom", "--verbosity", "diagnostic");

        library.ExitCode.Should().Be(1);
        Regex.Matches(library.Output, "^Error: .*refused the connection", RegexOptions.Multiline).Should().ContainSingle();
        library.Output.Should().NotContain("   at Promoter.", "a library error is its message, not a stack trace");
        bug.Output.Should().Contain("BoomTask.Run", "a programming error keeps its stack trace at -v diagnostic");
    }

    [Fact]
    public void No_class_below_the_tasks_takes_the_whole_build_context()
    {
        var program = typeof(BuildContext).Assembly;
        var offenders = program.GetTypes()
            .Where(t => t.Namespace is { } ns && !ns.StartsWith("Build.Tasks", StringComparison.Ordinal) && !ns.StartsWith("Build.Host", StringComparison.Ordinal)
                        && t != typeof(BuildContext) && t != typeof(BuildLifetime) && !t.Name.Contains('<'))
            .SelectMany(t => t.GetConstructors().Cast<MethodBase>().Concat(t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
                .Where(m => m.GetParameters().Any(p => p.ParameterType == typeof(BuildContext)))
                .Select(m => $"{t.FullName}.{m.Name}"));

        offenders.Should().BeEmpty();
    }

    [Fact]
    public void Settings_are_named_by_their_string_only_in_the_declarations_file()
    {
        var declarations = Path.Combine("build", "Build", "Settings", "BuildSettings.cs");
        // The build program's settings; the library reads only the environment of the tools it stands in for
        // (DOCKER_CONFIG, PATH) and one storage knob of test registries (PROMOTER_REGISTRY_TMPDIR, in the README).
        var offenders = Directory.EnumerateFiles(Path.Combine(Root, "build", "Build"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.EndsWith(declarations, StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => Regex.IsMatch(x.line, @"(?<!Cake)Setting\(""|\.Flag\(""|GetArgument\w*\(""(?!target)|GetEnvironmentVariable\(""(?!ARTIFACTS|CI"")"))
            .Select(x => $"{Path.GetRelativePath(Root, x.f)}:{x.i + 1}");

        offenders.Should().BeEmpty();
    }
}
