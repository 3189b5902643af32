using System.Collections.Concurrent;
using System.ComponentModel;
using System.Text.Json;

namespace Promoter.Registry;

/// <summary>
/// A docker credential helper (docker/docker-credential-helpers protocol): <c>docker-credential-NAME get</c> with the
/// server URL on standard input answers <c>{"ServerURL":..,"Username":..,"Secret":..}</c> on standard output; the user
/// name <c>&lt;token&gt;</c> means the secret is an identity token; exit code 1 with <c>credentials not found</c> means
/// it holds nothing for that server (null). The helper runs at most once per registry for the life of this object (its
/// answer, or its failure, is kept), and at most <see cref="Timeout"/>.
/// </summary>
public sealed class DockerCredentialHelper : ICredentialSource
{
    private readonly ConcurrentDictionary<string, Lazy<Task<RegistryCredential?>>> _answers = new(StringComparer.OrdinalIgnoreCase);
    private readonly string? _searchPath;

    /// <summary>Creates the helper <c>docker-credential-<paramref name="name"/></c>.</summary>
    /// <param name="name">The helper's name as config.json gives it (<c>credsStore</c>, a <c>credHelpers</c> value), e.g. <c>gcloud</c>.</param>
    /// <param name="origin">Where the name was configured, for messages, e.g. <c>credHelpers of /home/ci/.docker/config.json</c>.</param>
    /// <param name="timeout">How long one run may take (default 30 s).</param>
    /// <param name="searchPath">The folders to look for the executable in (PATH syntax); null for the process's PATH.</param>
    /// <exception cref="ArgumentException">The name is empty or contains a path separator.</exception>
    public DockerCredentialHelper(string name, string origin, TimeSpan? timeout = null, string? searchPath = null)
    {
        if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(['/', '\\']) >= 0)
            throw new ArgumentException($"'{name}' ({origin}) is not a credential helper name.", nameof(name));
        Executable = "docker-credential-" + name;
        Origin = origin;
        Timeout = timeout ?? TimeSpan.FromSeconds(30);
        _searchPath = searchPath;
    }

    /// <summary>The executable's file name, e.g. <c>docker-credential-gcloud</c>.</summary>
    public string Executable { get; }

    /// <summary>Where the helper was configured (for messages).</summary>
    public string Origin { get; }

    /// <summary>How long one run may take.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>How many times the helper was run (for tests and measurements).</summary>
    public int Runs => Volatile.Read(ref _runs);

    private int _runs;

    /// <inheritdoc />
    /// <exception cref="RegistryException">The helper is not on the search path, exits with an error other than
    /// "credentials not found", times out, or answers with something other than the protocol's JSON.</exception>
    public async ValueTask<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken)
    {
        var answer = _answers.GetOrAdd(registry, r => new Lazy<Task<RegistryCredential?>>(() => RunAsync(r)));
        return await answer.Value.WaitAsync(cancellationToken);
    }

    /// <summary>The server URL docker hands a helper: Docker Hub's legacy address for its hosts, the host otherwise.</summary>
    internal static string ServerUrl(string registry) =>
        registry.ToLowerInvariant() is "docker.io" or "index.docker.io" or "registry-1.docker.io" ? "https://index.docker.io/v1/" : registry;

    private async Task<RegistryCredential?> RunAsync(string registry)
    {
        var what = $"registry {registry}: credential helper {Executable} ({Origin})";
        var path = CredentialProcess.Find(Executable, _searchPath)
            ?? throw new RegistryException($"{what} is not installed: no {Executable} on PATH.", registry);
        Interlocked.Increment(ref _runs);
        CredentialProcess.Result result;
        try
        {
            // Not the caller's token: the answer is shared by every request of the registry.
            result = await CredentialProcess.RunAsync(path, ["get"], ServerUrl(registry), Timeout, CancellationToken.None);
        }
        catch (Exception e) when (e is Win32Exception or TimeoutException or IOException)
        {
            throw new RegistryException($"{what} could not be run: {e.Message}.", registry, inner: e);
        }
        if (result.ExitCode != 0)
        {
            var said = CredentialProcess.FirstLine(result.Output.Length > 0 ? result.Output : result.Error);
            if (said.Contains("credentials not found", StringComparison.OrdinalIgnoreCase)) return null;
            throw new RegistryException($"{what} failed with exit code {result.ExitCode}{(said.Length > 0 ? $": {said}" : "")}.", registry);
        }
        try
        {
            using var json = JsonDocument.Parse(result.Output);
            var root = json.RootElement;
            string? Text(string name) =>
                root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var username = Text("Username");
            var secret = Text("Secret");
            if (string.IsNullOrEmpty(secret))
                throw new RegistryException($"{what} answered without a 'Secret' (expected {{\"ServerURL\",\"Username\",\"Secret\"}}).", registry);
            return username == "<token>" ? new RegistryCredential(null, null, secret) : new RegistryCredential(username, secret);
        }
        catch (JsonException)
        {
            // The output is not repeated: it may hold a secret.
            throw new RegistryException($"{what} answered with something that is not JSON (expected {{\"ServerURL\",\"Username\",\"Secret\"}}).", registry);
        }
    }
}
