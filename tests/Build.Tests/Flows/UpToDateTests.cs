using Build.Flows;
using Cake.Core.Diagnostics;
using FluentAssertions;
using Xunit;

namespace Build.Tests.Flows;

/// <summary>The incremental check of Restore and Compile: inputs' fingerprint and outputs' presence.</summary>
public sealed class UpToDateTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("up-to-date-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_step_runs_again_when_an_input_changes_or_an_output_is_gone_and_not_otherwise()
    {
        Directory.CreateDirectory(Path.Combine(_root, "src"));
        File.WriteAllText(Path.Combine(_root, "src", "a.cs"), "class A {}");
        var runs = 0;
        void Step()
        {
            runs++;
            Directory.CreateDirectory(Path.Combine(_root, "bin"));
            File.WriteAllText(Path.Combine(_root, "bin", "a.dll"), "built");
        }
        void Run() => UpToDate.Run(_root, "compile", ["src"], ["bin/a.dll"], rebuild: false, new NullLog(), "up to date", Step);

        Run();
        Run();
        runs.Should().Be(1, "nothing changed after the first run");

        File.Delete(Path.Combine(_root, "bin", "a.dll"));
        Run();
        runs.Should().Be(2, "the output was deleted");

        File.WriteAllText(Path.Combine(_root, "src", "a.cs"), "class A { int x; }");
        Run();
        runs.Should().Be(3, "an input changed");

        UpToDate.Run(_root, "compile", ["src"], ["bin/a.dll"], rebuild: true, new NullLog(), "up to date", Step);
        runs.Should().Be(4, "--rebuild forces the step");
    }

    [Fact]
    public void A_file_named_as_an_input_counts_whatever_its_extension_and_a_folder_only_its_source_files()
    {
        Directory.CreateDirectory(Path.Combine(_root, "src"));
        File.WriteAllText(Path.Combine(_root, "src", "a.cs"), "class A {}");
        File.WriteAllText(Path.Combine(_root, "src", "notes.txt"), "one");
        File.WriteAllText(Path.Combine(_root, "VERSION"), "0.1.0\n");
        string Fingerprint() => SourceFingerprint.Compute(_root, ["src", "VERSION"]).Value;

        var first = Fingerprint();
        File.WriteAllText(Path.Combine(_root, "src", "notes.txt"), "two");
        Fingerprint().Should().Be(first, "a .txt file found in a folder is not a source file");

        File.WriteAllText(Path.Combine(_root, "VERSION"), "0.2.0\n");
        Fingerprint().Should().NotBe(first, "VERSION is named itself, so its content counts");
    }

    private sealed class NullLog : ICakeLog
    {
        public Verbosity Verbosity { get; set; } = Verbosity.Diagnostic;
        public void Write(Verbosity verbosity, LogLevel level, string format, params object[] args) { }
    }
}
