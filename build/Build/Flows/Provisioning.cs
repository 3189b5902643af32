using System.Diagnostics;
using Build.Settings;
using Cake.Core;
using Cake.Core.Diagnostics;

namespace Build.Flows;

/// <summary>
/// What the README's two commands need on a fresh machine, and how they get it: the one table of tools and their
/// Debian packages (<see cref="Tools"/>), installed with <c>apt-get install -y</c> when the run is root on Debian, and
/// <c>dockerd</c> started when it is installed but not running; elsewhere the run fails at once naming the missing
/// tools and the command that installs them. <c>build.sh</c> installs <c>docker-registry</c> the same way before the
/// program exists (every task that starts a local registry needs it).
/// </summary>
public sealed class Provisioning
{
    /// <summary>The command line of the docker daemon the run starts (as root), as <c>.ci/run</c> started it.</summary>
    public static readonly string[] DaemonArguments = ["--iptables=false", "--storage-driver=vfs"];

    /// <summary>How long a started dockerd has to answer <c>docker info</c>.</summary>
    public static readonly TimeSpan DaemonStartTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Every tool the Test and E2E tasks need, with its Debian package: the one place this is written.</summary>
    public static readonly IReadOnlyList<ToolRequirement> Tools =
    [
        new("docker-registry", "docker-registry", "the local registries (CNCF Distribution)", ToolUse.Test | ToolUse.E2E, "registry"),
        new("skopeo", "skopeo", "tests read pushed images back with skopeo", ToolUse.Test),
        new("htpasswd", "apache2-utils", "tests start htpasswd-protected registries", ToolUse.Test),
        new("docker", "docker.io", "the docker engine's CLI (--engine=docker, docker tests)", ToolUse.Test | ToolUse.E2EDockerEngine),
        new("dockerd", "docker.io", "the docker daemon (--engine=docker, docker tests)", ToolUse.Test | ToolUse.E2EDockerEngine),
        new("openssl", "openssl", "E2E verifies the destination signatures with openssl", ToolUse.Test | ToolUse.E2E),
        new("chromium", "chromium", "the browser tests", ToolUse.Test),
    ];

    private readonly Func<string, string?> _environment;
    private readonly bool _isRoot;
    private readonly bool _isDebian;
    private readonly Func<string, IReadOnlyList<string>, int> _run;
    private readonly Func<string, string, bool> _startDaemon;
    private readonly ICakeLog _log;

    /// <summary>Provisioning with explicit means (tests give a PATH, a root/Debian answer and fake commands).</summary>
    /// <param name="environment">Reads an environment variable (<c>PATH</c>).</param>
    /// <param name="isRoot">The process may install packages and start dockerd.</param>
    /// <param name="isDebian">The machine has apt-get (Debian or a derivative).</param>
    /// <param name="run">Runs a command (file, arguments) with its output on the console; returns its exit code.</param>
    /// <param name="startDaemon">Starts dockerd (path, log file) detached and waits until <c>docker info</c> answers; true when it does.</param>
    /// <param name="log">Receives what is done.</param>
    public Provisioning(Func<string, string?> environment, bool isRoot, bool isDebian, Func<string, IReadOnlyList<string>, int> run,
        Func<string, string, bool> startDaemon, ICakeLog log)
    {
        _environment = environment;
        _isRoot = isRoot;
        _isDebian = isDebian;
        _run = run;
        _startDaemon = startDaemon;
        _log = log;
    }

    /// <summary>Provisioning of this process on this machine.</summary>
    /// <remarks>The sbin folders are searched after PATH: dockerd lives in /usr/sbin, which a user's PATH may leave out.</remarks>
    public static Provisioning ForThisMachine(ICakeLog log) => new(
        name => name == SearchPath ? string.Join(Path.PathSeparator, Environment.GetEnvironmentVariable(name), "/usr/local/sbin", "/usr/sbin", "/sbin")
            : Environment.GetEnvironmentVariable(name),
        Environment.IsPrivilegedProcess, File.Exists("/etc/debian_version"), Run, StartDaemon, log);

    /// <summary>The variable tools are looked up in.</summary>
    private const string SearchPath = "PATH";

    /// <summary>The tools of <see cref="Tools"/> that <paramref name="tasks"/> need.</summary>
    /// <param name="tasks">The names of the tasks the run executes.</param>
    /// <param name="engine">The run's image engine (E2E needs docker only with the docker engine).</param>
    public static IReadOnlyList<ToolRequirement> Needs(IEnumerable<string> tasks, ImageEngineKind engine)
    {
        var uses = default(ToolUse);
        foreach (var task in tasks)
        {
            if (task.Equals("Test", StringComparison.OrdinalIgnoreCase)) uses |= ToolUse.Test;
            if (task.Equals("E2E", StringComparison.OrdinalIgnoreCase))
                uses |= engine == ImageEngineKind.Docker ? ToolUse.E2E | ToolUse.E2EDockerEngine : ToolUse.E2E;
        }
        return Tools.Where(t => (t.NeededBy & uses) != 0).ToList();
    }

    /// <summary>The full path of <paramref name="tool"/> (or of an alternative) on <c>PATH</c>, or null.</summary>
    public string? Find(ToolRequirement tool)
    {
        var folders = (_environment(SearchPath) ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in new[] { tool.Tool }.Concat(tool.Alternatives))
            foreach (var folder in folders)
            {
                var path = Path.Combine(folder, name);
                if (File.Exists(path) && IsExecutable(path)) return path;
            }
        return null;
    }

    /// <summary>The tools of <paramref name="needs"/> not found (see <see cref="Find"/>).</summary>
    public IReadOnlyList<ToolRequirement> Missing(IEnumerable<ToolRequirement> needs) => needs.Where(t => Find(t) is null).ToList();

    /// <summary>The command that installs <paramref name="missing"/>: <c>apt-get install -y</c> and their packages, each once.</summary>
    public static string InstallCommand(IEnumerable<ToolRequirement> missing) =>
        "apt-get install -y " + string.Join(" ", missing.Select(t => t.Package).Distinct());

    /// <summary>
    /// Makes <paramref name="needs"/> available: installs the missing packages (root on Debian: <c>apt-get install -y</c>,
    /// after <c>apt-get update</c> when the first attempt fails), then, when dockerd is needed, installed and not answering,
    /// starts it (root) with its log in <paramref name="daemonLog"/>.
    /// </summary>
    /// <param name="needs">The tools the run needs (<see cref="Needs"/>).</param>
    /// <param name="daemonLog">The file the started dockerd logs to.</param>
    /// <param name="daemonRequired">A daemon that cannot be had fails the run (E2E with the docker engine); otherwise it is a
    /// warning and the docker tests skip, saying why.</param>
    /// <exception cref="CakeException">A tool is missing and cannot be installed here (the message names the tools and the
    /// install command), an installation failed, or a required daemon cannot be started.</exception>
    public void Ensure(IReadOnlyList<ToolRequirement> needs, string daemonLog, bool daemonRequired)
    {
        // A daemon that already answers (here or through DOCKER_HOST) needs no local dockerd.
        var docker = needs.FirstOrDefault(t => t.Tool == "docker");
        if (docker is not null && Find(docker) is not null && DaemonAnswers())
            needs = needs.Where(t => t.Tool != "dockerd").ToList();
        var missing = Missing(needs);
        if (missing.Count > 0)
        {
            var names = string.Join(", ", missing.Select(t => $"{t.Tool} ({t.Purpose})"));
            if (!_isRoot || !_isDebian)
                throw new CakeException($"Missing tools: {names}. Install them with: {(_isRoot ? "" : "sudo ")}{InstallCommand(missing)}" +
                                        (_isDebian ? "" : " (or your system's packages of the same tools)"));
            _log.Information("Installing {0} for {1}", string.Join(" ", missing.Select(t => t.Package).Distinct()), string.Join(", ", missing.Select(t => t.Tool)));
            string[] install = ["install", "-y", "-q", .. missing.Select(t => t.Package).Distinct()];
            if (_run("apt-get", install) != 0)
            {
                _log.Information("apt-get install failed; updating the package lists and trying again");
                if (_run("apt-get", ["update", "-q"]) != 0 || _run("apt-get", install) != 0)
                    throw new CakeException($"Could not install {names}: `{InstallCommand(missing)}` failed (its output is above).");
            }
            var still = Missing(missing);
            if (still.Count > 0)
                throw new CakeException($"{InstallCommand(missing)} succeeded but {string.Join(", ", still.Select(t => t.Tool))} is still not on PATH.");
        }

        if (needs.FirstOrDefault(t => t.Tool == "dockerd") is not { } daemon || docker is null || DaemonAnswers()) return;
        var command = $"dockerd {string.Join(" ", DaemonArguments)}";
        string? problem;
        if (!_isRoot)
            problem = $"dockerd is not running and only root can start it here: run `sudo {command}`";
        else if (!_startDaemon(Find(daemon)!, daemonLog))
            problem = $"dockerd did not answer `docker info` within {DaemonStartTimeout.TotalSeconds:0} s of `{command}`; its log is {daemonLog}";
        else
            return;
        if (daemonRequired) throw new CakeException(problem);
        _log.Warning("{0}; the tests that need docker will be skipped", problem);
    }

    private bool DaemonAnswers() => _run("docker", ["info", "--format", "{{.ServerVersion}}"]) == 0;

    private static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    /// <summary>Runs a command with its output on this process's console; its exit code (127 when it cannot start).</summary>
    private static int Run(string file, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        if (file == "docker") { start.RedirectStandardOutput = true; start.RedirectStandardError = true; }
        try
        {
            using var process = Process.Start(start)!;
            if (file == "docker")
            {
                // Only its exit code matters; read both streams so it never blocks on a full pipe.
                var error = process.StandardError.ReadToEndAsync();
                process.StandardOutput.ReadToEnd();
                error.Wait();
            }
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 127;
        }
    }

    /// <summary>
    /// Starts dockerd in a session of its own (it outlives this run and is not hit by the terminal's Ctrl-C), its output
    /// appended to <paramref name="log"/>, and waits until <c>docker info</c> answers.
    /// </summary>
    private static bool StartDaemon(string dockerd, string log)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("setsid \"$0\" \"$@\" >>\"$LOG\" 2>&1 </dev/null &");
        start.ArgumentList.Add(dockerd);
        foreach (var argument in DaemonArguments) start.ArgumentList.Add(argument);
        start.Environment["LOG"] = log;
        using (var shell = Process.Start(start)!) shell.WaitForExit();
        var deadline = DateTime.UtcNow + DaemonStartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Run("docker", ["info", "--format", "{{.ServerVersion}}"]) == 0) return true;
            Thread.Sleep(500);
        }
        return false;
    }
}
