using System.Text;
using Cake.Core;
using Cake.Core.IO;
using Cake.Core.Tooling;
using Promoter.Releases;

namespace Build.Tools.Git;

/// <summary>
/// The read-only git operations of the release gates over the <c>git</c> CLI (Cake.Git's bundled libgit2 does not
/// load here). Each call runs one git command in the repository of <see cref="GitSettings"/> with standard output
/// and standard error captured; an unexpected exit code becomes an <see cref="InvalidOperationException"/> whose
/// message holds the command, the exit code and git's error text.
/// </summary>
public sealed class GitTool : Tool<GitSettings>, IGitRepository
{
    private readonly GitSettings _settings;

    /// <summary>Creates the wrapper; Cake supplies the services (<c>context.FileSystem</c>, ...).</summary>
    /// <param name="fileSystem">The file system.</param>
    /// <param name="environment">The environment (its working directory is the default repository).</param>
    /// <param name="processRunner">Starts git.</param>
    /// <param name="tools">Finds the git executable on PATH or at <see cref="ToolSettings.ToolPath"/>.</param>
    /// <param name="settings">The settings; null for the defaults.</param>
    public GitTool(IFileSystem fileSystem, ICakeEnvironment environment, IProcessRunner processRunner, IToolLocator tools, GitSettings? settings = null)
        : base(fileSystem, environment, processRunner, tools)
    {
        _settings = settings ?? new GitSettings();
        // Never wait for credentials on a terminal in CI.
        _settings.EnvironmentVariables ??= new Dictionary<string, string>();
        _settings.EnvironmentVariables["GIT_TERMINAL_PROMPT"] = "0";
    }

    /// <inheritdoc />
    protected override string GetToolName() => "git";

    /// <inheritdoc />
    protected override IEnumerable<string> GetToolExecutableNames() => ["git", "git.exe"];

    /// <inheritdoc />
    public string RevParse(string rev)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rev);
        var result = Git(["rev-parse", "--verify", "--quiet", "--end-of-options", rev + "^{commit}"], 0, 1);
        return result.ExitCode == 0
            ? result.Output.Trim()
            : throw new InvalidOperationException($"git: '{rev}' does not name a commit in {Repository}.");
    }

    /// <inheritdoc />
    public bool CommitExists(string sha)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sha);
        return Git(["rev-parse", "--verify", "--quiet", "--end-of-options", sha + "^{commit}"], 0, 1).ExitCode == 0;
    }

    /// <inheritdoc />
    public bool IsShallow()
    {
        var text = Git(["rev-parse", "--is-shallow-repository"]).Output.Trim();
        return text switch
        {
            "true" => true,
            "false" => false,
            _ => throw new InvalidOperationException($"git rev-parse --is-shallow-repository printed '{text}'; expected true or false."),
        };
    }

    /// <inheritdoc />
    public IReadOnlyList<string> ChangedFiles(string? fromSha, string toSha)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(toSha);
        var result = fromSha is null
            ? Git(["ls-tree", "-r", "-z", "--name-only", "--full-tree", "--end-of-options", toSha])
            : Git(["diff", "--name-only", "-z", "--no-renames", "--no-ext-diff", "--no-textconv", "--end-of-options", fromSha, toSha, "--"]);
        return result.Output.Split('\0', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>
    /// The content of <paramref name="path"/> at <paramref name="rev"/>, or null when the file does not exist there.
    /// Lines are joined with '\n' and the final line break is not kept (git's output is read line by line).
    /// </summary>
    /// <exception cref="InvalidOperationException"><paramref name="rev"/> does not name a commit.</exception>
    public string? ShowFile(string rev, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rev);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var blob = Git(["rev-parse", "--verify", "--quiet", "--end-of-options", $"{rev}:{path}"], 0, 1);
        if (blob.ExitCode != 0)
        {
            RevParse(rev); // throws when the commit itself is unknown, so a missing file is told from a bad revision
            return null;
        }
        return Git(["cat-file", "blob", blob.Output.Trim()]).Output;
    }

    /// <inheritdoc />
    public bool TagExists(string tag)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tag);
        return Git(["rev-parse", "--verify", "--quiet", "--end-of-options", "refs/tags/" + tag], 0, 1).ExitCode == 0;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> ParentsOf(string sha)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sha);
        // The raw commit object records the parents even at a shallow boundary, where rev-list would show none.
        var parents = new List<string>();
        foreach (var line in Git(["cat-file", "commit", sha]).Lines)
        {
            if (line.Length == 0) break; // end of the header
            if (line.StartsWith("parent ", StringComparison.Ordinal)) parents.Add(line["parent ".Length..].Trim());
        }
        return parents;
    }

    /// <inheritdoc />
    public string? MergeBase(string firstSha, string secondSha)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(firstSha);
        ArgumentException.ThrowIfNullOrWhiteSpace(secondSha);
        var result = Git(["merge-base", "--end-of-options", firstSha, secondSha], 0, 1);
        return result.ExitCode == 0 ? result.Output.Trim() : null;
    }

    /// <summary>Creates the tag <paramref name="tag"/> at <paramref name="sha"/> (a lightweight tag, <c>git tag tag sha</c>).</summary>
    /// <exception cref="InvalidOperationException">git refuses, e.g. because the tag exists.</exception>
    public void CreateTag(string tag, string sha)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tag);
        ArgumentException.ThrowIfNullOrWhiteSpace(sha);
        Git(["tag", "--end-of-options", tag, sha]);
    }

    /// <summary>The names of the configured remotes (<c>git remote</c>), e.g. <c>origin</c>; empty when none.</summary>
    /// <exception cref="InvalidOperationException">git fails.</exception>
    public IReadOnlyList<string> Remotes() =>
        Git(["remote"]).Lines.Select(l => l.Trim()).Where(l => l.Length > 0).ToList();

    /// <summary>Pushes the tag <paramref name="tag"/> to <paramref name="remote"/> (<c>git push remote refs/tags/tag</c>).</summary>
    /// <exception cref="InvalidOperationException">git refuses (no access, the remote has another tag of that name, ...).</exception>
    public void PushTag(string remote, string tag)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(remote);
        ArgumentException.ThrowIfNullOrWhiteSpace(tag);
        Git(["push", "--quiet", remote, $"refs/tags/{tag}"]);
    }

    private string Repository => GetWorkingDirectory(_settings)?.FullPath ?? "(the working directory)";

    /// <summary>The captured result of one git command.</summary>
    private sealed record GitResult(int ExitCode, IReadOnlyList<string> Lines)
    {
        public string Output => string.Join('\n', Lines);
    }

    /// <summary>Runs git with <paramref name="arguments"/>; any exit code outside <paramref name="accepted"/> (default 0) throws.</summary>
    private GitResult Git(string[] arguments, params int[] accepted)
    {
        if (accepted.Length == 0) accepted = [0];
        var builder = new ProcessArgumentBuilder();
        foreach (var argument in arguments) builder.AppendQuoted(argument);

        var processSettings = new ProcessSettings { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = RunProcess(_settings, builder, processSettings);
        process.WaitForExit();
        var exitCode = process.GetExitCode();
        var lines = process.GetStandardOutput()?.ToList() ?? [];
        if (Array.IndexOf(accepted, exitCode) < 0)
        {
            var error = new StringBuilder();
            foreach (var line in process.GetStandardError() ?? []) error.Append(error.Length == 0 ? "" : " ").Append(line.Trim());
            throw new InvalidOperationException(
                $"git {string.Join(' ', arguments)} failed in {Repository} with exit code {exitCode}: {(error.Length == 0 ? "(no error output)" : error.ToString())}");
        }
        return new GitResult(exitCode, lines);
    }
}
