using Build.Tests.Harness;
using FluentAssertions;
using Promoter.Tests.Support;
using Xunit;

namespace Build.Tests.Host;

/// <summary>
/// The repository's build.sh and build.ps1 in a scratch tree shaped like the repository, with a stand-in <c>dotnet</c>
/// that records each compile (<c>publish</c>) and a <c>sha256sum</c> that records each hashing: when they compile, that
/// they write the same stamp, and that build.sh's listing of the sources never hides a change of their contents.
/// </summary>
public sealed class BootstrapTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bootstrap-").FullName;
    private readonly string _standIns = Directory.CreateTempSubdirectory("bootstrap-stand-ins-").FullName;

    public BootstrapTests()
    {
        foreach (var script in new[] { "build.sh", "build.ps1" })
            File.Copy(System.IO.Path.Combine(BuildProgram.RepositoryRoot, script), System.IO.Path.Combine(_root, script));
        Write("build/Build/Build.csproj", "<Project />");
        Write("build/Build/Program.cs", "class Program {}");
        Write("build/Build/bin/Release/Stale.cs", "not a source: under bin/");
        Write("build/Build/obj/project.assets.json", "{}");
        Write("build/Build/notes.md", "not a source: its extension");
        Write("global.json", "{}");
        Write("Directory.Build.props", "<Project />");
        Write("Directory.Packages.props", "<Project />");
        Write("VERSION", "0.1.0\n");

        // Anything else goes to the real dotnet (the PowerShell dotnet tool starts itself through the dotnet on the PATH).
        var log = System.IO.Path.Combine(_standIns, "log");
        Executables.Script(_standIns, "dotnet", $$"""
            case "$1" in
              --info) echo " RID: linux-x64" ;;
              publish) while [ "$1" != --output ]; do shift; done; mkdir -p "$2"; : > "$2/Build.dll"; echo publish >> "{{log}}" ;;
              */.build/bin/Build.dll) echo "the build program ran" ;;
              *) exec "{{OnPath("dotnet")}}" "$@" ;;
            esac
            """);
        Executables.Script(_standIns, "docker-registry", "exit 0");
        Executables.Script(_standIns, "sha256sum", $"echo sha256sum >> \"{log}\"\nexec \"{OnPath("sha256sum")}\" \"$@\"");
    }

    /// <summary>The first <paramref name="name"/> in the folders of the PATH.</summary>
    private static string OnPath(string name) =>
        Environment.GetEnvironmentVariable("PATH")!.Split(System.IO.Path.PathSeparator)
            .Select(folder => System.IO.Path.Combine(folder, name)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{name} is not on the PATH");

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_standIns, recursive: true);
    }

    [Fact]
    public void A_warm_build_sh_hashes_nothing_and_any_change_of_a_source_recompiles()
    {
        // build.sh keeps its listing only when every file is more than 2 s old (a later write in the same clock tick
        // could leave a file's ctime as it was).
        Thread.Sleep(TimeSpan.FromSeconds(3.2));

        RunSh().Should().Be((1, true), "the first run compiles");
        RunSh().Should().Be((0, false), "a warm run lists the sources and hashes none");

        var program = System.IO.Path.Combine(_root, "build/Build/Program.cs");
        var written = File.GetLastWriteTimeUtc(program);
        File.WriteAllText(program, "class Progrem {}");
        File.SetLastWriteTimeUtc(program, written);
        RunSh().Should().Be((1, true), "the content changed, though its size and mtime are as before");
        RunSh().Should().Be((0, true), "the listing is not kept while a file is new, so the sources are hashed again");

        Write("VERSION", "0.1.1\n");
        RunSh().Should().Be((1, true), "VERSION is every assembly's version");

        Write("build/Build/bin/Release/Stale.cs", "changed");
        Write("build/Build/notes.md", "changed");
        RunSh().Should().Be((0, true), "neither is a source");

        Write("build/Build/Tasks/New.cs", "class New {}");
        RunSh().Should().Be((1, true), "a new source");
        File.Delete(System.IO.Path.Combine(_root, "build/Build/Tasks/New.cs"));
        RunSh().Should().Be((1, true), "a source deleted");
        File.ReadAllText(System.IO.Path.Combine(_root, ".build/sources.sha256")).Should()
            .Be(PublishedProgram.Fingerprint(_root) + "\n", "the tests' harness computes build.sh's fingerprint (it then runs the program build.sh published)");
    }

    [ToolFact("pwsh")]
    public void Build_sh_and_build_ps1_write_the_same_stamp_so_alternating_them_compiles_once()
    {
        Write("build/Build/Sp ace/é.cs", "class E {}");
        Write("build/Build/😀.cs", "class Smile {}");
        Write("build/Build/\uE000.cs", "class PrivateUse {}"); // sorts before 😀 by UTF-8 bytes, after it by UTF-16 units
        Write("build/Build/.hidden.json", "{}");
        Write("build/Build/back\\slash.props", "<Project />");
        Write("build/Build/Upper.CS", "not a source: extensions are case-sensitive");

        var first = Run("bash", "build.sh", "--tree");
        var second = Run(HostTools.Pwsh!, "-NoProfile", "-File", "build.ps1", "--tree");
        var third = Run("bash", "build.sh", "--tree");

        foreach (var output in new[] { first, second, third }) output.Should().Contain("the build program ran");
        string.Concat(first, second, third).Split('\n').Count(l => l.Contains("compiling the build program")).Should()
            .Be(1, $"only the first run compiles:\n{first}\n{second}\n{third}");
        first.Should().Contain("build.sh: compiling the build program");
        var stamp = System.IO.Path.Combine(_root, ".build/sources.sha256");
        var byBuildSh = File.ReadAllBytes(stamp);

        File.Delete(stamp);
        Run(HostTools.Pwsh!, "-NoProfile", "-File", "build.ps1", "--tree").Should().Contain("build.ps1: compiling the build program");
        File.ReadAllBytes(stamp).Should().Equal(byBuildSh, "both scripts write the same fingerprint, as 64 hex digits and an LF");
        byBuildSh.Should().HaveCount(65);
        System.Text.Encoding.ASCII.GetString(byBuildSh).Should().Be(PublishedProgram.Fingerprint(_root) + "\n", "the tests' harness computes it too");
    }

    private void Write(string relative, string content)
    {
        var path = System.IO.Path.Combine(_root, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    /// <summary>Runs build.sh; returns the compiles it did and whether it hashed a file.</summary>
    private (int Compiles, bool Hashed) RunSh()
    {
        var log = System.IO.Path.Combine(_standIns, "log");
        File.Delete(log);
        Run("bash", "build.sh", "--tree").Should().Contain("the build program ran");
        var lines = File.Exists(log) ? File.ReadAllLines(log) : [];
        return (lines.Count(l => l == "publish"), lines.Contains("sha256sum"));
    }

    private string Run(string program, params string[] arguments)
    {
        var result = ExternalTool.Run(program, arguments, new ToolOptions
        {
            WorkingDirectory = _root,
            Environment = new Dictionary<string, string?>
            {
                ["PATH"] = _standIns + System.IO.Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
                ["POWERSHELL_TELEMETRY_OPTOUT"] = "1",
            },
        }).EnsureSuccess();
        return result.Combined;
    }
}
