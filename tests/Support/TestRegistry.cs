using System.Globalization;
using System.Net;
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
/// what only tests need (authentication, other addresses, crashes). Both run on the library's internal
/// <c>RegistryProcess</c> (configuration, launch, log tail, readiness, kill), so they start and wait for a registry alike.
/// </remarks>
public sealed class TestRegistry : IDisposable
{
    private readonly RegistryProcess _process;

    private TestRegistry(RegistryProcess process) => _process = process;

    /// <summary>The address clients use, e.g. <c>127.0.0.1:40123</c>.</summary>
    public string Host => _process.Host;

    /// <summary>The IPv4 address the registry listens on.</summary>
    public IPAddress Address => _process.Address;

    /// <summary>The TCP port the registry listens on.</summary>
    public int Port => _process.Port;

    /// <summary>The temporary folder holding <c>config.yml</c>, the htpasswd file and the <c>storage</c> root (deleted on dispose).</summary>
    public string Folder => _process.Folder;

    /// <summary>The filesystem storage root (distribution's <c>storage.filesystem.rootdirectory</c>).</summary>
    public string StorageRoot => _process.StorageRoot;

    /// <summary>The last lines the registry logged (stdout and stderr), across restarts.</summary>
    public string LogTail => _process.LogTail;

    /// <summary>The repairs the last restart with <c>repairStorage</c> made, one line each (empty when none).</summary>
    public IReadOnlyList<string> StorageRepairs { get; private set; } = [];

    /// <summary>Starts a registry as <paramref name="options"/> say (open on 127.0.0.1 by default) and waits until it is ready: its
    /// own "listening on" log line, then an answer on <c>GET /v2/</c>.</summary>
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
        return new TestRegistry(await RegistryProcess.StartAsync("test registry", "promoter-test-registry-", options.Address,
            folder => AuthSectionAsync(folder, options, cancellationToken), startTimeout ?? TimeSpan.FromSeconds(30), cancellationToken));
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
    public void Crash() => _process.Kill();

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
        StorageRepairs = repairStorage ? StorageRepair.Run(StorageRoot) : [];
        await _process.RestartAsync(startTimeout ?? TimeSpan.FromSeconds(30), cancellationToken);
    }

    /// <summary>Kills the registry process and deletes the temporary folder.</summary>
    public void Dispose() => _process.Dispose();

    /// <inheritdoc />
    public override string ToString() => $"test registry {Host} (storage {StorageRoot})";

    /// <summary>
    /// The configuration's <c>auth:</c> section for <paramref name="options"/> (null when open); for Basic authentication
    /// it first writes the htpasswd file into the registry's <paramref name="folder"/>.
    /// </summary>
    private static async Task<string?> AuthSectionAsync(string folder, RegistryOptions options, CancellationToken cancellationToken)
    {
        static string Quote(string s) => RegistryProcess.Quote(s);
        var yaml = new StringBuilder();
        if (options.Token is { } token)
        {
            yaml.AppendLine("auth:");
            yaml.AppendLine("  token:");
            yaml.AppendLine($"    realm: {Quote(token.Realm)}");
            yaml.AppendLine($"    service: {Quote(token.Service)}");
            yaml.AppendLine($"    issuer: {Quote(token.Issuer)}");
            yaml.AppendLine($"    rootcertbundle: {Quote(token.RootCertBundlePath)}");
        }
        else if (options.Users.Count > 0)
        {
            var htpasswd = Path.Combine(folder, "htpasswd");
            await File.WriteAllTextAsync(htpasswd, await HtpasswdAsync(options.Users), cancellationToken);
            yaml.AppendLine("auth:");
            yaml.AppendLine("  htpasswd:");
            yaml.AppendLine("    realm: 'promoter-local-registry'");
            yaml.AppendLine($"    path: {Quote(htpasswd)}");
        }
        else return null;
        return yaml.ToString();
    }
}
