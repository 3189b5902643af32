using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Promoter.Registry;

/// <summary>
/// One CNCF Distribution process (<c>docker-registry serve config.yml</c>) and its folder: the start core that
/// <see cref="LocalRegistry"/> and the tests' <c>TestRegistry</c> share. It owns the folder (config, storage, whatever a
/// caller keeps there), the port, the process and its log tail; Dispose kills the process and deletes the folder.
/// </summary>
/// <remarks>
/// A registry is ready only after its own process logged "listening on" and then <c>GET /v2/</c> answered: an answer on
/// the port alone could come from another process holding it (this one then fails to bind and exits). A port is never
/// handed out twice by one process, so registries started at once cannot be given a port the kernel offered twice.
/// </remarks>
internal sealed class RegistryProcess : IDisposable
{
    /// <summary>How many log lines <see cref="LogTail"/> keeps.</summary>
    internal const int LogLines = 200;

    /// <summary>Ports this process has handed to a registry (never handed out twice).</summary>
    private static readonly ConcurrentDictionary<int, byte> GivenPorts = new();

    private readonly Queue<string> _log = new();
    private readonly string _name;
    private readonly string _binary;
    private Process? _process;
    private int _disposed;

    private RegistryProcess(string name, string binary, string folder, IPAddress address, int port)
    {
        _name = name;
        _binary = binary;
        Folder = folder;
        Address = address;
        Port = port;
    }

    /// <summary>The address clients use, e.g. <c>127.0.0.1:40123</c>.</summary>
    public string Host => $"{Address}:{Port}";

    /// <summary>The IPv4 address the registry listens on.</summary>
    public IPAddress Address { get; }

    /// <summary>The TCP port the registry listens on.</summary>
    public int Port { get; }

    /// <summary>The registry's own folder: <c>config.yml</c>, the <c>storage</c> root and files of the caller's.</summary>
    public string Folder { get; }

    /// <summary>The filesystem storage root (distribution's <c>storage.filesystem.rootdirectory</c>).</summary>
    public string StorageRoot => Path.Combine(Folder, "storage");

    /// <summary>The registry's configuration file.</summary>
    public string ConfigPath => Path.Combine(Folder, "config.yml");

    /// <summary>The last <see cref="LogLines"/> lines the registry logged (stdout and stderr), across restarts.</summary>
    public string LogTail
    {
        get { lock (_log) return string.Join('\n', _log); }
    }

    /// <summary>
    /// Creates a folder <paramref name="folderPrefix"/>... under <see cref="StorageParent"/>, writes the configuration for
    /// a free port of <paramref name="address"/>, starts the registry and waits until it is ready; on failure kills it and
    /// deletes the folder.
    /// </summary>
    /// <param name="name">What messages call it, e.g. <c>local registry</c>.</param>
    /// <param name="folderPrefix">The start of the folder's name.</param>
    /// <param name="address">The loopback address to listen on.</param>
    /// <param name="extraSections">Given the folder, writes what it needs there and returns YAML sections to append to the
    /// configuration (e.g. <c>auth:</c>), or null for none.</param>
    /// <param name="startTimeout">How long to wait until it is ready.</param>
    /// <param name="cancellationToken">Cancels the start (the process is then killed).</param>
    /// <exception cref="RegistryException">The binary is missing, the process exited or was not ready in time; the
    /// message carries the log tail.</exception>
    public static async Task<RegistryProcess> StartAsync(string name, string folderPrefix, IPAddress address,
        Func<string, Task<string?>>? extraSections, TimeSpan startTimeout, CancellationToken cancellationToken)
    {
        var binary = LocalRegistry.FindBinary();
        var folder = Path.Combine(StorageParent(), folderPrefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path.Combine(folder, "storage"));
        var registry = new RegistryProcess(name, binary, folder, address, FreePort(address));
        try
        {
            var extra = extraSections is null ? null : await extraSections(folder);
            await File.WriteAllTextAsync(registry.ConfigPath, Config(registry.StorageRoot, address, registry.Port, extra), cancellationToken);
            await registry.RestartAsync(startTimeout, cancellationToken);
            return registry;
        }
        catch
        {
            registry.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Kills the process if it runs, starts it again on the same port, configuration and storage and waits until it is
    /// ready (its own "listening on" log line, then an answer on <c>GET /v2/</c>).
    /// </summary>
    /// <exception cref="RegistryException">The process could not start, exited, or was not ready in time.</exception>
    public async Task RestartAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Kill();
        _process?.Dispose();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The registry's own process (not an external-tool runner): it runs for the registry's life and its log is kept as it comes.
        var start = new ProcessStartInfo(_binary)
        {
            ArgumentList = { "serve", ConfigPath },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Folder,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new RegistryException($"Could not start {_binary}.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new RegistryException($"Could not start {_binary}: {e.Message}. Install it with: {LocalRegistry.InstallCommand}", inner: e);
        }
        // Only this process's lines make it ready: an earlier (killed) process of this registry shares the log tail, not the signal.
        DataReceivedEventHandler append = (_, e) =>
        {
            if (e.Data is null) return;
            if (e.Data.Contains("listening on", StringComparison.Ordinal)) listening.TrySetResult();
            Append(e.Data);
        };
        process.OutputDataReceived += append;
        process.ErrorDataReceived += append;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilReadyAsync(process, listening.Task, timeout, cancellationToken);
    }

    /// <summary>Kills the process with SIGKILL, as a crash would (no flush, no cleanup), and waits up to 10 s for it to go.</summary>
    public void Kill()
    {
        var process = _process;
        if (process is null) return;
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Kills the process and deletes the folder; a second call does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return; // teardown and a signal may both dispose
        Kill();
        _process?.Dispose();
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>A YAML single-quoted scalar of <paramref name="value"/>.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "''") + "'";

    private async Task WaitUntilReadyAsync(Process process, Task listening, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                process.WaitForExit(); // flushes the redirected output
                throw new RegistryException(
                    $"The {_name} exited with code {process.ExitCode} before answering on {Host}. Log tail:\n{LogTail}");
            }
            if (listening.IsCompleted)
            {
                try
                {
                    using var response = await http.GetAsync($"http://{Host}/v2/", cancellationToken);
                    if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized) return;
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested) { }
            }
            await Task.Delay(10, cancellationToken);
        }
        throw new RegistryException($"The {_name} did not answer GET http://{Host}/v2/ within {timeout.TotalSeconds:0} s. Log tail:\n{LogTail}");
    }

    private void Append(string line)
    {
        lock (_log)
        {
            _log.Enqueue(line);
            while (_log.Count > LogLines) _log.Dequeue();
        }
    }

    /// <summary>
    /// Where registry folders go: <c>$PROMOTER_REGISTRY_TMPDIR</c> when set, else the memory-backed <c>/dev/shm</c> when this
    /// machine has a writable one (a registry's storage here is small and short-lived, and Distribution's filesystem driver
    /// writes a file per link, so tmpfs roughly halves its request latency) with at least 512 MiB free (a container's
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

    /// <summary>A port of <paramref name="address"/> the kernel offers as free and this process has not handed out before.</summary>
    private static int FreePort(IPAddress address)
    {
        while (true)
        {
            var listener = new TcpListener(address, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            if (GivenPorts.TryAdd(port, 0)) return port;
        }
    }

    /// <summary>The distribution configuration (docs/configuration.md of distribution 2.x), then <paramref name="extraSections"/>.</summary>
    private static string Config(string storage, IPAddress address, int port, string? extraSections)
    {
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
        yaml.Append(extraSections);
        return yaml.ToString();
    }
}
