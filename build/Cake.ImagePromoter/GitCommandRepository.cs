using System.Diagnostics;
using System.Text;
using Promoter.Releases;

namespace Cake.ImagePromoter;

/// <summary>The release gates' read-only git operations (<see cref="IGitRepository"/>) through the <c>git</c> command.</summary>
internal sealed class GitCommandRepository(string folder, string? remote) : IGitRepository
{
    public string RevParse(string rev)
    {
        var (exit, output, _) = Git("rev-parse", "--verify", "--quiet", $"{rev}^{{commit}}");
        return exit == 0 ? output.Trim() : throw new GitException($"git rev-parse in {folder}: '{rev}' names no commit.");
    }

    public bool CommitExists(string sha) => Git("cat-file", "-e", $"{sha}^{{commit}}").Exit == 0;

    public bool IsShallow() => Checked("rev-parse", "--is-shallow-repository").Trim() == "true";

    public IReadOnlyList<string> ChangedFiles(string? fromSha, string toSha)
    {
        var output = fromSha is null
            ? Checked("ls-tree", "-r", "-z", "--name-only", toSha)
            : Checked("diff", "--name-only", "-z", "--no-renames", fromSha, toSha); // a rename: both paths
        return output.Split('\0', StringSplitOptions.RemoveEmptyEntries);
    }

    public string? ShowFile(string rev, string path)
    {
        var commit = RevParse(rev);
        var (exit, output, _) = Git("cat-file", "blob", $"{commit}:{path}");
        return exit == 0 ? output : null;
    }

    public bool TagExists(string tag)
    {
        if (Git("rev-parse", "--verify", "--quiet", $"refs/tags/{tag}").Exit == 0) return true;
        if (remote is null || !Checked("remote").Split('\n').Contains(remote, StringComparer.Ordinal)) return false;
        var (exit, output, error) = Git("ls-remote", "--tags", remote, $"refs/tags/{tag}");
        return exit == 0 ? output.Trim().Length > 0 : throw new GitException($"git ls-remote {remote} in {folder}: {error.Trim()}");
    }

    public IReadOnlyList<string> ParentsOf(string sha) =>
        Checked("cat-file", "commit", RevParse(sha)).Split('\n').TakeWhile(line => line.Length > 0)
            .Where(line => line.StartsWith("parent ", StringComparison.Ordinal)).Select(line => line["parent ".Length..]).ToList();

    public string? MergeBase(string firstSha, string secondSha)
    {
        var (exit, output, error) = Git("merge-base", firstSha, secondSha);
        return exit switch
        {
            0 => output.Trim(),
            1 => null,
            _ => throw new GitException($"git merge-base {firstSha} {secondSha} in {folder}: {error.Trim()}"),
        };
    }

    private string Checked(params string[] arguments)
    {
        var (exit, output, error) = Git(arguments);
        return exit == 0 ? output : throw new GitException($"git {string.Join(' ', arguments)} in {folder} failed ({exit}): {error.Trim()}");
    }

    private (int Exit, string Output, string Error) Git(params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new GitException("git did not start.");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new GitException($"git could not be started (is it on PATH?): {exception.Message}", exception);
        }
        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output, error.GetAwaiter().GetResult());
        }
    }
}
