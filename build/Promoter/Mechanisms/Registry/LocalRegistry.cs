using System.Net;

namespace Promoter.Registry;

/// <summary>
/// A CNCF Distribution registry (<c>docker-registry serve config.yml</c>, Debian package <c>docker-registry</c>) running
/// on 127.0.0.1 at a free port, with a fresh temporary storage folder, deletes enabled and no authentication. Dispose
/// kills the process and deletes the folder.
/// </summary>
/// <remarks>Its process is a <see cref="RegistryProcess"/>, the start core it shares with the tests' registries
/// (tests/Support's <c>TestRegistry</c>: authentication, other loopback addresses, crashes and restarts).</remarks>
public sealed class LocalRegistry : IDisposable
{
    /// <summary>The command that installs the registry binary on Debian/Ubuntu.</summary>
    public const string InstallCommand = "apt-get install -y docker-registry";

    private readonly RegistryProcess _process;

    private LocalRegistry(RegistryProcess process) => _process = process;

    /// <summary>The address clients use, e.g. <c>127.0.0.1:40123</c>.</summary>
    public string Host => _process.Host;

    /// <summary>The registry's own folder (its config.yml and storage; the log is kept in memory): a caller may keep files of its own there; deleted on dispose.</summary>
    public string Folder => _process.Folder;

    /// <summary>The filesystem storage root (distribution's <c>storage.filesystem.rootdirectory</c>; deleted on dispose).</summary>
    public string StorageRoot => _process.StorageRoot;

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

    /// <summary>Starts a registry and waits until it is ready: its own "listening on" log line, then an answer on <c>GET /v2/</c>.</summary>
    /// <param name="startTimeout">How long to wait for <c>/v2/</c> (default 30 s).</param>
    /// <param name="cancellationToken">Cancels the wait (the process is then killed).</param>
    /// <exception cref="RegistryException">The binary is missing, the process exited, or <c>/v2/</c> did not answer in time;
    /// the message carries the registry's log tail.</exception>
    public static async Task<LocalRegistry> StartAsync(TimeSpan? startTimeout = null, CancellationToken cancellationToken = default) =>
        new(await RegistryProcess.StartAsync("local registry", "promoter-registry-", IPAddress.Loopback, extraSections: null,
            startTimeout ?? TimeSpan.FromSeconds(30), cancellationToken));

    /// <summary>Kills the registry process and deletes the temporary folder.</summary>
    public void Dispose() => _process.Dispose();

    /// <inheritdoc />
    public override string ToString() => $"local registry {Host} (storage {StorageRoot})";
}
