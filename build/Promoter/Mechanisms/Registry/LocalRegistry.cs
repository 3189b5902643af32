using Promoter.Oci;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Promoter.Registry;

/// <summary>
/// Token authentication for a <see cref="LocalRegistry"/> (distribution's <c>auth.token</c> configuration): the registry
/// accepts bearer tokens (JWTs) signed by a key whose certificate is in <see cref="RootCertBundlePath"/>.
/// </summary>
/// <param name="Realm">The token server URL the registry's challenges point at.</param>
/// <param name="Service">The service name (the token's audience).</param>
/// <param name="Issuer">The issuer the tokens must name.</param>
/// <param name="RootCertBundlePath">A PEM file of the certificates whose keys sign tokens.</param>
public sealed record LocalRegistryTokenAuth(string Realm, string Service, string Issuer, string RootCertBundlePath);

/// <summary>
/// Basic authentication for a <see cref="LocalRegistry"/> (distribution's <c>auth.htpasswd</c> configuration): the registry
/// answers 401 with <c>WWW-Authenticate: Basic realm=...</c> and checks each request's user and password against the
/// bcrypt hashes of an htpasswd file - on every request, so the bcrypt cost is paid per request.
/// </summary>
/// <param name="HtpasswdPath">The htpasswd file (bcrypt entries only, as Distribution requires).</param>
/// <param name="Realm">The realm the challenges name.</param>
public sealed record LocalRegistryHtpasswdAuth(string HtpasswdPath, string Realm = "promoter-local-registry")
{
    /// <summary>The command that installs <c>htpasswd</c> on Debian/Ubuntu.</summary>
    public const string InstallCommand = "apt-get install -y apache2-utils";

    /// <summary>
    /// Writes an htpasswd file of one user whose password is hashed with bcrypt at <paramref name="cost"/> by the
    /// <c>htpasswd</c> command (apache2-utils; the password goes through its standard input, never its arguments).
    /// </summary>
    /// <param name="path">The file to write (replaced).</param>
    /// <param name="user">The user name.</param>
    /// <param name="password">The password.</param>
    /// <param name="cost">The bcrypt cost, 4 to 17 (htpasswd's default is 5; each step doubles the registry's work per request).</param>
    /// <exception cref="RegistryException">htpasswd is missing (the message gives <see cref="InstallCommand"/>) or failed.</exception>
    public static async Task<LocalRegistryHtpasswdAuth> CreateAsync(string path, string user, string password, int cost = 5)
    {
        var start = new ProcessStartInfo("htpasswd")
        {
            ArgumentList = { "-B", "-C", cost.ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", "-n", user },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new RegistryException("Could not start htpasswd.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new RegistryException($"htpasswd is not installed ({e.Message}). Install it with: {InstallCommand}", inner: e);
        }
        using (process)
        {
            await process.StandardInput.WriteLineAsync(password);
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
                throw new RegistryException($"htpasswd exited with code {process.ExitCode}: {(await error).Trim()}");
            await File.WriteAllTextAsync(path, (await output).Trim() + "\n");
        }
        return new LocalRegistryHtpasswdAuth(path);
    }
}

/// <summary>
/// A CNCF Distribution registry (<c>docker-registry serve config.yml</c>, Debian package <c>docker-registry</c>) running
/// on 127.0.0.1 (or another loopback address) at a free port, with a fresh temporary storage folder and deletes enabled, open or with token or htpasswd
/// (Basic) authentication. Dispose kills the process and deletes the folder.
/// </summary>
public sealed class LocalRegistry : IDisposable
{
    /// <summary>The command that installs the registry binary on Debian/Ubuntu.</summary>
    public const string InstallCommand = "apt-get install -y docker-registry";

    private const int LogLines = 200;
    private Process _process;
    private readonly Queue<string> _log = new();
    private int _disposed;

    private LocalRegistry(Process process, string folder, IPAddress address, int port)
    {
        _process = process;
        Folder = folder;
        Address = address;
        Port = port;
    }

    /// <summary>The address clients use, e.g. <c>127.0.0.1:40123</c>.</summary>
    public string Host => $"{Address}:{Port}";

    /// <summary>The IPv4 address the registry listens on (127.0.0.1 unless started with another loopback address).</summary>
    public IPAddress Address { get; }

    /// <summary>The TCP port the registry listens on.</summary>
    public int Port { get; }

    /// <summary>The temporary folder holding <c>config.yml</c> and the <c>storage</c> root (deleted on dispose).</summary>
    public string Folder { get; }

    /// <summary>The filesystem storage root (distribution's <c>storage.filesystem.rootdirectory</c>).</summary>
    public string StorageRoot => Path.Combine(Folder, "storage");

    /// <summary>The last lines the registry logged (stdout and stderr).</summary>
    public string LogTail
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
    /// <param name="tokenAuth">Token authentication to configure, or null for an open registry.</param>
    /// <param name="startTimeout">How long to wait for <c>/v2/</c> (default 30 s).</param>
    /// <param name="cancellationToken">Cancels the wait (the process is then killed).</param>
    /// <exception cref="RegistryException">The binary is missing, the process exited, or <c>/v2/</c> did not answer in time;
    /// the message carries the registry's log tail.</exception>
    public static Task<LocalRegistry> StartAsync(LocalRegistryTokenAuth? tokenAuth = null, TimeSpan? startTimeout = null,
        CancellationToken cancellationToken = default) =>
        StartCoreAsync(tokenAuth, null, startTimeout, cancellationToken);

    /// <summary>Starts an open registry listening on <paramref name="address"/> (e.g. 127.0.0.5: Linux routes all of 127/8 to
    /// the loopback interface, so each registry of a test can have an address of its own) and waits until <c>GET /v2/</c>
    /// answers.</summary>
    /// <param name="address">An IPv4 address of this machine.</param>
    /// <param name="startTimeout">How long to wait for <c>/v2/</c> (default 30 s).</param>
    /// <param name="cancellationToken">Cancels the wait (the process is then killed).</param>
    /// <exception cref="RegistryException">As <see cref="StartAsync(LocalRegistryTokenAuth?, TimeSpan?, CancellationToken)"/>.</exception>
    public static Task<LocalRegistry> StartAsync(IPAddress address, TimeSpan? startTimeout = null, CancellationToken cancellationToken = default) =>
        StartCoreAsync(null, null, startTimeout, cancellationToken, address);

    /// <summary>Starts a registry protected by Basic authentication (<c>auth: htpasswd</c>) and waits until <c>GET /v2/</c> answers.</summary>
    /// <param name="htpasswd">The htpasswd file and realm (see <see cref="LocalRegistryHtpasswdAuth.CreateAsync"/>).</param>
    /// <param name="startTimeout">How long to wait for <c>/v2/</c> (default 30 s).</param>
    /// <param name="cancellationToken">Cancels the wait (the process is then killed).</param>
    /// <exception cref="RegistryException">As <see cref="StartAsync(LocalRegistryTokenAuth?, TimeSpan?, CancellationToken)"/>.</exception>
    public static Task<LocalRegistry> StartAsync(LocalRegistryHtpasswdAuth htpasswd, TimeSpan? startTimeout = null,
        CancellationToken cancellationToken = default) =>
        StartCoreAsync(null, htpasswd, startTimeout, cancellationToken);

    private static async Task<LocalRegistry> StartCoreAsync(LocalRegistryTokenAuth? tokenAuth, LocalRegistryHtpasswdAuth? htpasswd,
        TimeSpan? startTimeout, CancellationToken cancellationToken, IPAddress? address = null)
    {
        address ??= IPAddress.Loopback;
        var binary = FindBinary();
        var folder = Path.Combine(StorageParent(), "promoter-registry-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path.Combine(folder, "storage"));
        var port = FreePort(address);
        var configPath = Path.Combine(folder, "config.yml");
        await File.WriteAllTextAsync(configPath, Config(Path.Combine(folder, "storage"), address, port, tokenAuth, htpasswd), cancellationToken);

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
        var registry = new LocalRegistry(process, folder, address, port);
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

    /// <summary>
    /// Kills the registry process with SIGKILL, as a crash would (no flush, no cleanup: a write in progress may leave an
    /// empty link file or a partial blob in the storage), then starts it again on the same port, configuration and
    /// storage and waits until <c>GET /v2/</c> answers. For crash-consistency tests.
    /// </summary>
    /// <param name="startTimeout">How long to wait for <c>/v2/</c> after the restart (default 30 s).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <param name="repairStorage">Repair the storage (<see cref="RepairStorage"/>) before the restart; the repairs are in
    /// <see cref="StorageRepairs"/>.</param>
    /// <exception cref="RegistryException">The process did not come back.</exception>
    public async Task CrashAndRestartAsync(TimeSpan? startTimeout = null, CancellationToken cancellationToken = default, bool repairStorage = false)
    {
        Crash();
        await RestartAsync(repairStorage, startTimeout, cancellationToken);
    }

    /// <summary>Kills the registry process with SIGKILL, as a crash would; <see cref="RestartAsync"/> starts it again.</summary>
    public void Crash()
    {
        var old = _process;
        try
        {
            if (!old.HasExited) old.Kill(entireProcessTree: true);
            old.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>The repairs the last restart with <c>repairStorage</c> made, one line each (empty when none).</summary>
    public IReadOnlyList<string> StorageRepairs { get; private set; } = [];

    /// <summary>
    /// Starts the registry again after <see cref="Crash"/> on the same port, configuration and storage, optionally
    /// repairing the storage first (<see cref="RepairStorage"/>), and waits until <c>GET /v2/</c> answers.
    /// </summary>
    /// <param name="repairStorage">Repair the storage before the start; the repairs are in <see cref="StorageRepairs"/>.</param>
    /// <param name="startTimeout">How long to wait for <c>/v2/</c> (default 30 s).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="RegistryException">The process did not come back.</exception>
    public async Task RestartAsync(bool repairStorage = false, TimeSpan? startTimeout = null, CancellationToken cancellationToken = default)
    {
        Crash();
        _process.Dispose();
        StorageRepairs = repairStorage ? RepairStorage(StorageRoot) : [];
        var start = new ProcessStartInfo(FindBinary())
        {
            ArgumentList = { "serve", Path.Combine(Folder, "config.yml") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Folder,
        };
        var process = Process.Start(start) ?? throw new RegistryException($"Could not restart the registry on {Host}.");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilReadyAsync(startTimeout ?? TimeSpan.FromSeconds(30), cancellationToken);
    }

    /// <summary>
    /// Repairs what a crash can leave in a CNCF Distribution 2.x filesystem storage, while the registry is stopped:
    /// <list type="bullet">
    /// <item>a 0-byte blob data file (<c>docker/registry/v2/blobs/sha256/XX/HEX/data</c>, except the digest of no bytes) is
    /// removed: Distribution keeps an existing data file on every upload, mount and manifest put, so a rerun could not
    /// replace it; once removed, the blob reads as missing (404) and the rerun's upload or put writes it;</item>
    /// <item>a repository's blob link (<c>_layers/sha256/HEX/link</c>) or manifest revision link
    /// (<c>_manifests/revisions/sha256/HEX/link</c>) that does not hold <c>sha256:HEX</c> is written with it (its folder
    /// names the digest);</item>
    /// <item>a tag whose <c>_manifests/tags/TAG/current/link</c> is not a digest is removed (nothing says what it named),
    /// so it reads as absent and the rerun writes it again.</item>
    /// </list>
    /// Data files are not hashed (a crash truncates; it does not write other bytes of the same length).
    /// </summary>
    /// <param name="storageRoot">The registry's <c>rootdirectory</c>; the registry must not be running.</param>
    /// <returns>One line per repair: the path (relative to the root) and what was done.</returns>
    /// <exception cref="IOException">A file could not be removed or written.</exception>
    public static IReadOnlyList<string> RepairStorage(string storageRoot)
    {
        var repairs = new List<string>();
        var v2 = Path.Combine(storageRoot, "docker", "registry", "v2");
        string Relative(string path) => Path.GetRelativePath(storageRoot, path);
        var blobs = Path.Combine(v2, "blobs", "sha256");
        if (Directory.Exists(blobs))
        {
            foreach (var data in Directory.EnumerateFiles(blobs, "data", SearchOption.AllDirectories))
            {
                var hex = Path.GetFileName(Path.GetDirectoryName(data))!;
                if (new FileInfo(data).Length != 0 || Digest.Sha256Prefix + hex == ServedContent.EmptyDigest.Value) continue;
                File.Delete(data);
                repairs.Add($"{Relative(data)}: 0-byte blob data file removed");
            }
        }
        var repositories = Path.Combine(v2, "repositories");
        if (!Directory.Exists(repositories)) return repairs;
        foreach (var link in Directory.EnumerateFiles(repositories, "link", SearchOption.AllDirectories).ToList())
        {
            if (!File.Exists(link)) continue; // under a tag removed above
            var folder = Path.GetDirectoryName(link)!;
            var parent = Path.GetFileName(Path.GetDirectoryName(folder));
            var content = File.ReadAllText(link).Trim();
            if (Digest.TryParse(content, out _)) continue;
            if (parent == "sha256")
            {
                // _layers/sha256/HEX/link, _manifests/revisions/sha256/HEX/link, _manifests/tags/T/index/sha256/HEX/link
                var expected = Digest.Sha256Prefix + Path.GetFileName(folder);
                File.WriteAllText(link, expected);
                repairs.Add($"{Relative(link)}: link held '{Shorten(content)}', written with {expected}");
            }
            else if (Path.GetFileName(folder) == "current")
            {
                var tag = Path.GetDirectoryName(folder)!;
                Directory.Delete(tag, recursive: true);
                repairs.Add($"{Relative(tag)}: tag's current link held '{Shorten(content)}', tag removed");
            }
        }
        return repairs;

        static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
    }

    /// <summary>A client for this registry (plain http, since the host is loopback).</summary>
    public RegistryClient CreateClient(RegistryClientOptions? options = null) => new(Host, options);

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
        try { Directory.Delete(Folder, recursive: true); }
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
    private static string Config(string storage, IPAddress address, int port, LocalRegistryTokenAuth? tokenAuth, LocalRegistryHtpasswdAuth? htpasswd)
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
        if (tokenAuth is not null)
        {
            yaml.AppendLine("auth:");
            yaml.AppendLine("  token:");
            yaml.AppendLine($"    realm: {Quote(tokenAuth.Realm)}");
            yaml.AppendLine($"    service: {Quote(tokenAuth.Service)}");
            yaml.AppendLine($"    issuer: {Quote(tokenAuth.Issuer)}");
            yaml.AppendLine($"    rootcertbundle: {Quote(tokenAuth.RootCertBundlePath)}");
        }
        else if (htpasswd is not null)
        {
            yaml.AppendLine("auth:");
            yaml.AppendLine("  htpasswd:");
            yaml.AppendLine($"    realm: {Quote(htpasswd.Realm)}");
            yaml.AppendLine($"    path: {Quote(Path.GetFullPath(htpasswd.HtpasswdPath))}");
        }
        return yaml.ToString();
    }
}
