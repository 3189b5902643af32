using System.Text;
using System.Text.Json;
using Promoter.Inputs;

namespace Promoter.Registry;

/// <summary>
/// The credential sections of a docker CLI <c>config.json</c> (docker/cli <c>configfile</c> format):
/// <c>{"auths": {"host[:port]": {"auth": base64("user:pass")} | {"username":..,"password":..} | {"identitytoken":..}},
/// "credHelpers": {"host[:port]": "NAME"}, "credsStore": "NAME"}</c>.
/// Keys may carry a scheme and path (<c>https://index.docker.io/v1/</c>); they are matched by host. Reading the file runs
/// no helper; <see cref="DockerKeychain"/> does, when a registry needs its credential.
/// </summary>
public sealed class DockerConfig
{
    private readonly Dictionary<string, RegistryCredential> _byHost;

    private DockerConfig(string? path, Dictionary<string, RegistryCredential> byHost, Dictionary<string, string>? helpers = null, string? store = null)
    {
        Path = path;
        _byHost = byHost;
        CredentialHelpers = helpers ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        CredentialStore = store;
    }

    /// <summary><c>credHelpers</c>: the helper name (<c>docker-credential-NAME</c>) per host (normalised).</summary>
    public IReadOnlyDictionary<string, string> CredentialHelpers { get; }

    /// <summary><c>credsStore</c>: the helper for every host without its own, or null.</summary>
    public string? CredentialStore { get; }

    /// <summary>The file read, or null when none existed.</summary>
    public string? Path { get; }

    /// <summary>The hosts that have credentials (normalised: no scheme, no path).</summary>
    public IReadOnlyCollection<string> Hosts => _byHost.Keys;

    /// <summary>An empty configuration (anonymous access everywhere).</summary>
    public static DockerConfig Empty { get; } = new(null, new Dictionary<string, RegistryCredential>(StringComparer.OrdinalIgnoreCase));

    /// <summary>
    /// The default file: <c>$DOCKER_CONFIG/config.json</c> when DOCKER_CONFIG is set, otherwise
    /// <c>~/.docker/config.json</c>.
    /// </summary>
    public static string DefaultPath()
    {
        var dir = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
        if (string.IsNullOrEmpty(dir))
            dir = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        return System.IO.Path.Combine(dir, "config.json");
    }

    /// <summary>Loads <see cref="DefaultPath"/> as <see cref="LoadIfPresent"/> does.</summary>
    /// <exception cref="FormatException">The file exists but is not a valid config.json.</exception>
    /// <exception cref="InputFileException">Something other than a regular file is there (a directory, a FIFO), or it is over the bound.</exception>
    public static DockerConfig LoadDefault() => LoadIfPresent(DefaultPath());

    /// <summary>Loads <paramref name="path"/>; nothing at all at that path gives <see cref="Empty"/>.</summary>
    /// <exception cref="FormatException">The file exists but is not a valid config.json.</exception>
    /// <exception cref="InputFileException">Something other than a regular file is there (a directory, a FIFO, a dangling
    /// link), or it is over <see cref="InputFile.MaxTextBytes"/>.</exception>
    public static DockerConfig LoadIfPresent(string path) => InputFile.IsAbsent(path) ? Empty : Load(path);

    /// <summary>Loads the file at <paramref name="path"/>.</summary>
    /// <exception cref="InputFileException">The file is missing, not a regular file, over <see cref="InputFile.MaxTextBytes"/>, or unreadable.</exception>
    /// <exception cref="FormatException">Not JSON, or an <c>auths</c> entry is malformed (the message names the file and entry, never the secret).</exception>
    public static DockerConfig Load(string path) => Parse(InputFile.ReadAllText(path), path);

    /// <summary>Parses config.json text; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="FormatException">Not JSON, an <c>auths</c> entry is malformed, <c>credHelpers</c> is not an object of
    /// names, or <c>credsStore</c> is not a name.</exception>
    public static DockerConfig Parse(string json, string source)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new FormatException($"{source}: not valid JSON (line {e.LineNumber + 1}): {e.Message}"); }

        var byHost = new Dictionary<string, RegistryCredential>(StringComparer.OrdinalIgnoreCase);
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new FormatException($"{source}: expected a JSON object at the top level.");
            var root = doc.RootElement;
            if (root.TryGetProperty("auths", out var auths) && auths.ValueKind != JsonValueKind.Null)
            {
                if (auths.ValueKind != JsonValueKind.Object)
                    throw new FormatException($"{source}: 'auths' must be an object of registry host to credentials.");
                foreach (var entry in auths.EnumerateObject())
                {
                    var credential = ReadEntry(entry, source);
                    if (credential is not null) byHost[NormaliseHost(entry.Name)] = credential;
                }
            }
            var helpers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (root.TryGetProperty("credHelpers", out var named) && named.ValueKind != JsonValueKind.Null)
            {
                if (named.ValueKind != JsonValueKind.Object)
                    throw new FormatException($"{source}: 'credHelpers' must be an object of registry host to helper name.");
                foreach (var entry in named.EnumerateObject())
                    helpers[NormaliseHost(entry.Name)] = HelperName(entry.Value, $"{source}: credHelpers[\"{entry.Name}\"]");
            }
            string? store = null;
            if (root.TryGetProperty("credsStore", out var storeName) && storeName.ValueKind != JsonValueKind.Null)
            {
                var name = HelperName(storeName, $"{source}: credsStore");
                if (name.Length > 0) store = name;
            }
            return new DockerConfig(source, byHost, helpers, store);
        }
    }

    /// <summary>
    /// The credentials for <paramref name="host"/> (e.g. <c>127.0.0.1:5000</c>, <c>gcr.io</c>), or null for anonymous
    /// access. Docker Hub's names (<c>docker.io</c>, <c>registry-1.docker.io</c>, <c>index.docker.io</c>) are one host.
    /// </summary>
    public RegistryCredential? Find(string host)
    {
        foreach (var key in HostKeys(host))
            if (_byHost.TryGetValue(key, out var c)) return c;
        return null;
    }

    /// <summary>The keys <paramref name="host"/> is looked up by: itself (normalised), and for Docker Hub all its names.</summary>
    internal static IEnumerable<string> HostKeys(string host)
    {
        var key = NormaliseHost(host);
        yield return key;
        if (key is "docker.io" or "registry-1.docker.io" or "index.docker.io")
            foreach (var alias in new[] { "index.docker.io", "docker.io", "registry-1.docker.io" })
                if (alias != key) yield return alias;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"docker config {Path ?? "(none)"} with credentials for {Hosts.Count} host(s), {CredentialHelpers.Count} credential helper(s)"
        + (CredentialStore is null ? "" : $", credsStore {CredentialStore}");

    /// <summary><c>https://host:port/v1/</c> becomes <c>host:port</c>.</summary>
    internal static string NormaliseHost(string key)
    {
        var s = key.Trim();
        var scheme = s.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) s = s[(scheme + 3)..];
        var slash = s.IndexOf('/');
        if (slash >= 0) s = s[..slash];
        return s.ToLowerInvariant();
    }

    /// <summary>The helper name in <paramref name="value"/>: a string without a path separator (empty is allowed: docker
    /// treats an empty <c>credsStore</c> as none).</summary>
    private static string HelperName(JsonElement value, string where) =>
        value.ValueKind == JsonValueKind.String && value.GetString() is { } name && name.IndexOfAny(['/', '\\']) < 0
            ? name.Trim()
            : throw new FormatException($"{where} must be a credential helper name (docker-credential-NAME runs it).");

    private static RegistryCredential? ReadEntry(JsonProperty entry, string source)
    {
        var where = $"{source}: auths[\"{entry.Name}\"]";
        if (entry.Value.ValueKind != JsonValueKind.Object)
            throw new FormatException($"{where} must be an object.");
        string? Text(string name) =>
            entry.Value.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;

        var identityToken = Text("identitytoken");
        var username = Text("username");
        var password = Text("password");
        if (Text("auth") is { } auth)
        {
            string decoded;
            try { decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth)); }
            catch (FormatException) { throw new FormatException($"{where}.auth is not base64 (expected base64 of 'user:password')."); }
            var colon = decoded.IndexOf(':');
            if (colon < 0) throw new FormatException($"{where}.auth does not decode to 'user:password' (no ':' found).");
            username = decoded[..colon];
            password = decoded[(colon + 1)..];
        }
        if (identityToken is not null) return new RegistryCredential(username, null, identityToken);
        if (password is not null) return new RegistryCredential(username, password);
        return null; // an empty entry (docker writes these when a credential helper holds the secret)
    }
}
