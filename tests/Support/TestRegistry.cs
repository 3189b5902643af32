using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Promoter.Registry;

namespace Promoter.Tests.Support;

/// <summary>
/// Token authentication of a <see cref="TestRegistry"/> (distribution's <c>auth.token</c> configuration): the registry
/// accepts bearer tokens (JWTs) signed by a key whose certificate is in <see cref="RootCertBundlePath"/>.
/// </summary>
/// <param name="Realm">The token server URL the registry's challenges point at.</param>
/// <param name="Service">The service name (the token's audience).</param>
/// <param name="Issuer">The issuer the tokens must name.</param>
/// <param name="RootCertBundlePath">A PEM file of the certificates whose keys sign tokens.</param>
public sealed record RegistryTokenAuth(string Realm, string Service, string Issuer, string RootCertBundlePath);

/// <summary>How a <see cref="TestRegistry"/> is configured: its address and its authentication (none by default).</summary>
public sealed record RegistryOptions
{
    /// <summary>The bcrypt cost of the htpasswd entries (htpasswd's default; each step doubles the registry's work per request).</summary>
    public const int HtpasswdCost = 5;

    /// <summary>
    /// The IPv4 address to listen on (127.0.0.1 by default; Linux routes all of 127/8 to the loopback interface, so each
    /// registry of a test can have an address of its own).
    /// </summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>
    /// Users of Basic authentication (distribution's <c>auth.htpasswd</c>): when not empty, the registry answers 401 with
    /// <c>WWW-Authenticate: Basic realm=...</c> and checks each request's user and password against an htpasswd file of
    /// these users that <c>htpasswd -B</c> writes (bcrypt at <see cref="HtpasswdCost"/>, paid on every request).
    /// </summary>
    public IReadOnlyList<(string User, string Password)> Users { get; init; } = [];

    /// <summary>Token authentication, or null. Not together with <see cref="Users"/>.</summary>
    public RegistryTokenAuth? Token { get; init; }

    /// <summary>One user of Basic authentication.</summary>
    public static RegistryOptions Basic(string user, string password) => new() { Users = [(user, password)] };
}

/// <summary>
/// A CNCF Distribution registry process for tests (<c>docker-registry serve config.yml</c>, Debian package
/// <c>docker-registry</c>) at a free port of a loopback address, with a fresh storage folder and deletes enabled, open or
/// with Basic (htpasswd) or token authentication; it can be crashed (SIGKILL), restarted on the same storage and have its
/// storage repaired in between. Dispose kills the process and deletes the folder.
/// </summary>
/// <remarks>
/// The library's <see cref="LocalRegistry"/> is the open registry the build program starts; this is its test twin with
/// what only tests need (authentication, other addresses, crashes). Both write the same configuration apart from those.
/// </remarks>
public sealed class TestRegistry : IDisposable
{
    private const int LogLines = 200;
    private readonly Queue<string> _log = new();

    /// <summary>How many "listening on" lines the registry's log has had, and how many before the latest start.</summary>
    private int _listening, _listeningBefore;
    private Process? _process;
    private int _disposed;

    private TestRegistry(string folder, IPAddress address, int port)
    {
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

    /// <summary>The temporary folder holding <c>config.yml</c>, the htpasswd file and the <c>storage</c> root (deleted on dispose).</summary>
    public string Folder { get; }

    /// <summary>The filesystem storage root (distribution's <c>storage.filesystem.rootdirectory</c>).</summary>
    public string StorageRoot => Path.Combine(Folder, "storage");

    /// <summary>The last lines the registry logged (stdout and stderr), across restarts.</summary>
    public string LogTail
    {
        get { lock (_log) return string.Join('\n', _log); }
    }

    /// <summary>The repairs the last restart with <c>repairStorage</c> made, one line each (empty when none).</summary>
    public IReadOnlyList<string> StorageRepairs { get; private set; } = [];

    /// <summary>Starts a registry as <paramref name="options"/> say (open on 127.0.0.1 by default) and waits until <c>GET /v2/</c> answers.</summary>
    /// <param name="options">Address and authentication.</param>
    /// <param name="startTimeout">How long to wait for <c>/v2/</c> (default 30 s).</param>
    /// <param name="cancellationToken">Cancels the wait (the process is then killed).</param>
    /// <exception cref="RegistryException">The binary is missing (the message gives the install command), the process
    /// exited or <c>/v2/</c> did not answer in time; the message carries the registry's log tail.</exception>
    /// <exception cref="ExternalToolException">htpasswd is missing or failed.</exception>
    public static async Task<TestRegistry> StartAsync(RegistryOptions? options = null, TimeSpan? startTimeout = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new RegistryOptions();
        if (options.Token is not null && options.Users.Count > 0)
            throw new ArgumentException("A registry has either Basic or token authentication, not both.", nameof(options));
        var folder = Path.Combine(StorageParent(), "promoter-test-registry-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path.Combine(folder, "storage"));
        var registry = new TestRegistry(folder, options.Address, FreePort(options.Address));
        try
        {
            string? htpasswd = null;
            if (options.Users.Count > 0)
            {
                htpasswd = Path.Combine(folder, "htpasswd");
                await File.WriteAllTextAsync(htpasswd, await HtpasswdAsync(options.Users), cancellationToken);
            }
            await File.WriteAllTextAsync(registry.ConfigPath, Config(registry.StorageRoot, registry.Address, registry.Port, options.Token, htpasswd),
                cancellationToken);
            registry.Launch();
            await registry.WaitUntilReadyAsync(startTimeout ?? TimeSpan.FromSeconds(30), cancellationToken);
            return registry;
        }
        catch
        {
            registry.Dispose();
            throw;
        }
    }

    /// <summary>Starts one registry per entry of <paramref name="options"/> at once; when one fails, stops those that started.</summary>
    /// <exception cref="RegistryException">A registry did not start (see <see cref="StartAsync"/>).</exception>
    public static async Task<TestRegistry[]> StartAllAsync(IReadOnlyList<RegistryOptions> options)
    {
        var starts = options.Select(o => StartAsync(o)).ToList();
        try
        {
            return await Task.WhenAll(starts);
        }
        catch
        {
            foreach (var start in starts.Where(s => s.IsCompletedSuccessfully)) start.Result.Dispose();
            throw;
        }
    }

    /// <summary>Starts <paramref name="count"/> open registries on 127.0.0.1 at once; when one fails, stops those that started.</summary>
    /// <exception cref="RegistryException">A registry did not start (see <see cref="StartAsync"/>).</exception>
    public static Task<TestRegistry[]> StartAllAsync(int count) =>
        StartAllAsync(Enumerable.Repeat(new RegistryOptions(), count).ToList());

    /// <summary>
    /// The lines of an htpasswd file holding <paramref name="users"/>, each password hashed with bcrypt by the
    /// <c>htpasswd</c> command (apache2-utils; the password goes through its standard input, never its arguments).
    /// </summary>
    /// <exception cref="ExternalToolException">htpasswd is missing (apt-get install -y apache2-utils) or failed.</exception>
    public static async Task<string> HtpasswdAsync(IEnumerable<(string User, string Password)> users)
    {
        var lines = new StringBuilder();
        foreach (var (user, password) in users)
        {
            var result = await ExternalTool.RunAsync("htpasswd",
                ["-B", "-C", RegistryOptions.HtpasswdCost.ToString(CultureInfo.InvariantCulture), "-i", "-n", user],
                new ToolOptions { Input = password + "\n" });
            lines.Append(result.EnsureSuccess().Output.Trim()).Append('\n');
        }
        return lines.ToString();
    }

    /// <summary>A client for this registry (plain http, since the host is loopback).</summary>
    public RegistryClient CreateClient(RegistryClientOptions? options = null) => new(Host, options);

    /// <summary>Kills the registry process with SIGKILL, as a crash would (no flush, no cleanup); <see cref="RestartAsync"/> starts it again.</summary>
    public void Crash()
    {
        var old = _process;
        if (old is null) return;
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

    /// <summary>
    /// Kills the registry process with SIGKILL, as a crash would (a write in progress may leave an empty link file or a
    /// partial blob in the storage), then starts it again on the same port, configuration and storage and waits until
    /// <c>GET /v2/</c> answers. For crash-consistency tests.
    /// </summary>
    /// <param name="startTimeout">How long to wait for <c>/v2/</c> after the restart (default 30 s).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <param name="repairStorage">Repair the storage (<see cref="StorageRepair.Run"/>) before the restart; the repairs are in
    /// <see cref="StorageRepairs"/>.</param>
    /// <exception cref="RegistryException">The process did not come back.</exception>
    public async Task CrashAndRestartAsync(TimeSpan? startTimeout = null, CancellationToken cancellationToken = default, bool repairStorage = false)
    {
        Crash();
        await RestartAsync(repairStorage, startTimeout, cancellationToken);
    }

    /// <summary>
    /// Starts the registry again after <see cref="Crash"/> on the same port, configuration and storage, optionally
    /// repairing the storage first (<see cref="StorageRepair.Run"/>), and waits until <c>GET /v2/</c> answers.
    /// </summary>
    /// <param name="repairStorage">Repair the storage before the start; the repairs are in <see cref="StorageRepairs"/>.</param>
    /// <param name="startTimeout">How long to wait for <c>/v2/</c> (default 30 s).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="RegistryException">The process did not come back.</exception>
    public async Task RestartAsync(bool repairStorage = false, TimeSpan? startTimeout = null, CancellationToken cancellationToken = default)
    {
        Crash();
        _process?.Dispose();
        StorageRepairs = repairStorage ? StorageRepair.Run(StorageRoot) : [];
        Launch();
        await WaitUntilReadyAsync(startTimeout ?? TimeSpan.FromSeconds(30), cancellationToken);
    }

    /// <summary>Kills the registry process and deletes the temporary folder.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        Crash();
        _process?.Dispose();
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <inheritdoc />
    public override string ToString() => $"test registry {Host} (storage {StorageRoot})";

    private string ConfigPath => Path.Combine(Folder, "config.yml");

    private void Launch()
    {
        var binary = LocalRegistry.FindBinary();
        _listeningBefore = Volatile.Read(ref _listening);
        // The registry's own process (not ExternalTool): it runs for the whole fixture and its log is kept as it comes.
        var start = new ProcessStartInfo(binary)
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
            process = Process.Start(start) ?? throw new RegistryException($"Could not start {binary}.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new RegistryException($"Could not start {binary}: {e.Message}. Install it with: {LocalRegistry.InstallCommand}", inner: e);
        }
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var process = _process!;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                process.WaitForExit(); // flushes the redirected output
                throw new RegistryException(
                    $"The test registry exited with code {process.ExitCode} before answering on {Host}. Log tail:\n{LogTail}");
            }
            // Its own "listening on" line first: an answer on the port before it could come from another process that
            // holds the port (this one then fails to bind and exits).
            if (Volatile.Read(ref _listening) <= _listeningBefore)
            {
                await Task.Delay(10, cancellationToken);
                continue;
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
        throw new RegistryException($"The test registry did not answer GET http://{Host}/v2/ within {timeout.TotalSeconds:0} s. Log tail:\n{LogTail}");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        if (line.Contains("listening on", StringComparison.Ordinal)) Interlocked.Increment(ref _listening);
        lock (_log)
        {
            _log.Enqueue(line);
            while (_log.Count > LogLines) _log.Dequeue();
        }
    }

    /// <summary>
    /// Where registry folders go, as for <see cref="LocalRegistry"/>: <c>$PROMOTER_REGISTRY_TMPDIR</c> when set, else the
    /// memory-backed <c>/dev/shm</c> when it is writable with at least 512 MiB free, else the temporary folder.
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

    /// <summary>Ports this process has handed to a registry: never handed out twice, so two registries started at once
    /// cannot both be given a port the kernel offered twice.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, byte> GivenPorts = new();

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

    /// <summary>The distribution configuration (docs/configuration.md of distribution 2.x).</summary>
    private static string Config(string storage, IPAddress address, int port, RegistryTokenAuth? token, string? htpasswd)
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
        if (token is not null)
        {
            yaml.AppendLine("auth:");
            yaml.AppendLine("  token:");
            yaml.AppendLine($"    realm: {Quote(token.Realm)}");
            yaml.AppendLine($"    service: {Quote(token.Service)}");
            yaml.AppendLine($"    issuer: {Quote(token.Issuer)}");
            yaml.AppendLine($"    rootcertbundle: {Quote(token.RootCertBundlePath)}");
        }
        else if (htpasswd is not null)
        {
            yaml.AppendLine("auth:");
            yaml.AppendLine("  htpasswd:");
            yaml.AppendLine("    realm: 'promoter-local-registry'");
            yaml.AppendLine($"    path: {Quote(htpasswd)}");
        }
        return yaml.ToString();
    }
}
