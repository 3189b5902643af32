using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Promoter.Registry;

/// <summary>
/// A CNCF Distribution registry (<c>docker-registry serve config.yml</c>, Debian package <c>docker-registry</c>) running
/// on 127.0.0.1 at a free port, with a fresh temporary storage folder, deletes enabled and no authentication. Dispose
/// kills the process and deletes the folder.
/// </summary>
/// <remarks>The tests' registries (authentication, other loopback addresses, crashes and restarts) are tests/Support's
/// <c>TestRegistry</c>.</remarks>
public sealed class LocalRegistry : IDisposable
{
    /// <summary>The command that installs the registry binary on Debian/Ubuntu.</summary>
    public const string InstallCommand = "apt-get install -y docker-registry";

    private const int LogLines = 200;
    private readonly Process _process;
    private readonly Queue<string> _log = new();
    private readonly string _folder;
    private int _disposed;

    private LocalRegistry(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Host = $"{IPAddress.Loopback}:{port}";
    }

    /// <summary>The address clients use, e.g. <c>127.0.0.1:40123</c>.</summary>
    public string Host { get; }

    /// <summary>The registry's own folder (its config, log and storage): a caller may keep files of its own there; deleted on dispose.</summary>
    public string Folder => _folder;

    /// <summary>The filesystem storage root (distribution's <c>storage.filesystem.rootdirectory</c>; deleted on dispose).</summary>
    public string StorageRoot => Path.Combine(_folder, "storage");

    private string LogTail
    {
        get { lock (_log) return string.Join('\n', _log); }
    }

    /// <summary>
    /// Finds the registry binary: <c>docker-registry</c> or <c>registry</c> on PATH, then <c>/usr/bin/docker-registry</c>.
    /// </summary>
    /// <exception cref="RegistryException">Neither is installed; the message gives <see cref="InstallCommand"/>.</exception>
    public static string FindBinary() =>
        FindBinary((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin"));

    /// <summary>Finds <c>docker-registry</c> or <c>registry</c> in <paramref name="dirs"/>, in that order.</summary>
    internal static string FindBinary(IEnumerable<string> dirs)
    {
        foreach (var name in new[] { "docker-registry", "registry" })
            foreach (var dir in dirs)
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
            }
        throw new RegistryException(
            $"The CNCF Distribution registry binary ('docker-registry' or 'registry') is not on PATH. Install it with: {InstallCommand}");
    }

    /// <summary>Starts a registry and waits until <c>GET /v2/</c> answers.</summary>
    /// <param name="startTimeout">How long to wait for <c>/v2/</c> (default 30 s).</param>
    /// <param name="cancellationToken">Cancels the wait (the process is then killed).</param>
    /// <exception cref="RegistryException">The binary is missing, the process exited, or <c>/v2/</c> did not answer in time;
    /// the message carries the registry's log tail.</exception>
    public static async Task<LocalRegistry> StartAsync(TimeSpan? startTimeout = null, CancellationToken cancellationToken = default)
    {
        var address = IPAddress.Loopback;
        var binary = FindBinary();
        var folder = Path.Combine(StorageParent(), "promoter-registry-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path.Combine(folder, "storage"));
        var port = FreePort(address);
        var configPath = Path.Combine(folder, "config.yml");
        await File.WriteAllTextAsync(configPath, Config(Path.Combine(folder, "storage"), address, port), cancellationToken);

        var start = new ProcessStartInfo(binary)
        {
            ArgumentList = { "serve", configPath },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new RegistryException($"Could not start {binary}.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Directory.Delete(folder, recursive: true);
            throw new RegistryException($"Could not start {binary}: {e.Message}. Install it with: {InstallCommand}", inner: e);
        }
        var registry = new LocalRegistry(process, folder, port);
        process.OutputDataReceived += (_, e) => registry.Append(e.Data);
        process.ErrorDataReceived += (_, e) => registry.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await registry.WaitUntilReadyAsync(startTimeout ?? TimeSpan.FromSeconds(30), cancellationToken);
            return registry;
        }
        catch
        {
            registry.Dispose();
            throw;
        }
    }

    /// <summary>Kills the registry process and deletes the temporary folder.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return; // teardown and a signal may both dispose
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <inheritdoc />
    public override string ToString() => $"local registry {Host} (storage {StorageRoot})";

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit(); // flushes the redirected output
                throw new RegistryException(
                    $"The local registry exited with code {_process.ExitCode} before answering on {Host}. Log tail:\n{LogTail}");
            }
            try
            {
                using var response = await http.GetAsync($"http://{Host}/v2/", cancellationToken);
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested) { }
            await Task.Delay(10, cancellationToken);
        }
        throw new RegistryException($"The local registry did not answer GET http://{Host}/v2/ within {timeout.TotalSeconds:0} s. Log tail:\n{LogTail}");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            _log.Enqueue(line);
            while (_log.Count > LogLines) _log.Dequeue();
        }
    }

    /// <summary>
    /// Where registry folders go: <c>$PROMOTER_REGISTRY_TMPDIR</c> when set, else the memory-backed <c>/dev/shm</c> when this
    /// machine has a writable one (a test registry's storage is small and short-lived, and Distribution's filesystem driver
    /// writes a file per link, so tmpfs roughly halves its request latency here) with at least 512 MiB free (a container's
    /// default /dev/shm is 64 MiB), else the temporary folder.
    /// </summary>
    private static string StorageParent()
    {
        if (Environment.GetEnvironmentVariable("PROMOTER_REGISTRY_TMPDIR") is { Length: > 0 } configured) return configured;
        const string shm = "/dev/shm";
        try
        {
            if (OperatingSystem.IsLinux() && Directory.Exists(shm) && new DriveInfo(shm).AvailableFreeSpace >= 512L * 1024 * 1024)
            {
                var probe = Path.Combine(shm, ".promoter-probe-" + Environment.ProcessId);
                Directory.CreateDirectory(probe);
                Directory.Delete(probe);
                return shm;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return Path.GetTempPath();
    }

    private static int FreePort(IPAddress address)
    {
        var listener = new TcpListener(address, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The distribution configuration (docs/configuration.md of distribution 2.x).</summary>
    private static string Config(string storage, IPAddress address, int port)
    {
        static string Quote(string s) => "'" + s.Replace("'", "''") + "'";
        var yaml = new StringBuilder();
        yaml.AppendLine("version: 0.1");
        yaml.AppendLine("log:");
        yaml.AppendLine("  level: info");
        yaml.AppendLine("  accesslog:");
        yaml.AppendLine("    disabled: true");
        yaml.AppendLine("storage:");
        yaml.AppendLine("  filesystem:");
        yaml.AppendLine($"    rootdirectory: {Quote(storage)}");
        yaml.AppendLine("  delete:");
        yaml.AppendLine("    enabled: true");
        yaml.AppendLine("  maintenance:");
        yaml.AppendLine("    uploadpurging:");
        yaml.AppendLine("      enabled: false");
        yaml.AppendLine("http:");
        yaml.AppendLine($"  addr: {address}:{port}");
        yaml.AppendLine("  secret: promoter-local-registry");
        return yaml.ToString();
    }
}
