using Build.Tools.Git;
using Promoter.Tests.Support;

namespace Build.Tests.Tools.Git;

/// <summary>
/// A real git repository in a temporary folder, scripted commit by commit with a fixed author, committer and
/// clock so every run produces the same history. The fixture drives the git CLI directly; the code under test
/// goes through <see cref="GitRepository"/> (LibGit2Sharp).
/// </summary>
internal sealed class ScriptedRepository : IDisposable
{
    private static readonly DateTimeOffset Epoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly bool _ownsFolder;
    private int _tick;

    private ScriptedRepository(string path, bool ownsFolder)
    {
        Path = path;
        _ownsFolder = ownsFolder;
    }

    /// <summary>The working tree.</summary>
    public string Path { get; }

    /// <summary>A new repository on branch main whose first commit holds VERSION 1.0.0 and src/app.txt, tagged v1.0.0.</summary>
    public static ScriptedRepository CreateReleased()
    {
        var repository = CreateEmpty();
        repository.Commit("Initial release", ("VERSION", "1.0.0\n"), ("src/app.txt", "app 1\n"));
        repository.Git("tag", "v1.0.0");
        return repository;
    }

    /// <summary>A new, empty repository on branch main.</summary>
    public static ScriptedRepository CreateEmpty()
    {
        var folder = Directory.CreateTempSubdirectory("releases-repo-").FullName;
        var repository = new ScriptedRepository(folder, ownsFolder: true);
        repository.Git("init", "--quiet", "--initial-branch=main");
        return repository;
    }

    /// <summary>A <c>git clone --depth N file://...</c> of this repository in a new temporary folder.</summary>
    public ScriptedRepository ShallowClone(int depth) => Clone($"--depth={depth}");

    /// <summary>A <c>git clone OPTIONS file://...</c> of this repository in a new temporary folder (its <c>origin</c> is this repository).</summary>
    public ScriptedRepository Clone(params string[] options)
    {
        var folder = Directory.CreateTempSubdirectory("releases-clone-").FullName;
        Run(System.IO.Path.GetTempPath(), ["clone", "--quiet", "--no-local", .. options, "file://" + Path, folder]);
        return new ScriptedRepository(folder, ownsFolder: true);
    }

    /// <summary>Writes (or, for a null content, deletes) the files, stages everything and commits; returns the commit id.</summary>
    public string Commit(string message, params (string File, string? Content)[] files)
    {
        foreach (var (file, content) in files)
        {
            var full = System.IO.Path.Combine(Path, file);
            if (content is null)
            {
                File.Delete(full);
                continue;
            }
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }
        Git("add", "--all");
        Git("commit", "--quiet", "--allow-empty", "-m", message);
        return Head;
    }

    /// <summary>The commit id of HEAD.</summary>
    public string Head => Git("rev-parse", "HEAD");

    /// <summary>Runs git in the working tree and returns its trimmed standard output.</summary>
    /// <exception cref="ExternalToolException">git exits with a non-zero code.</exception>
    public string Git(params string[] arguments) => Run(Path, arguments);

    /// <summary>The code under test's view of this repository; <paramref name="remote"/> is the remote whose tags count too.</summary>
    public GitRepository Tool(string? remote = GitRepository.DefaultRemote) => new(Path, remote);

    private string Run(string workingDirectory, params string[] arguments)
    {
        var date = Epoch.AddMinutes(_tick++).ToUnixTimeSeconds() + " +0000";
        return ExternalTool.Run("git", arguments, new ToolOptions
        {
            WorkingDirectory = workingDirectory,
            Environment = new Dictionary<string, string?>
            {
                ["GIT_AUTHOR_NAME"] = "Release Robot",
                ["GIT_AUTHOR_EMAIL"] = "robot@example.invalid",
                ["GIT_AUTHOR_DATE"] = date,
                ["GIT_COMMITTER_NAME"] = "Release Robot",
                ["GIT_COMMITTER_EMAIL"] = "robot@example.invalid",
                ["GIT_COMMITTER_DATE"] = date,
                ["GIT_CONFIG_GLOBAL"] = "/dev/null",
                ["GIT_CONFIG_NOSYSTEM"] = "1",
            },
        }).EnsureSuccess().Output.Trim();
    }

    public void Dispose()
    {
        if (_ownsFolder && Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
