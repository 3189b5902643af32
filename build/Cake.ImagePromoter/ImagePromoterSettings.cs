using Cake.Core.IO;
using Promoter.Registry;

namespace Cake.ImagePromoter;

/// <summary>
/// What every alias of this addin that talks to registries shares: how registries are reached. Credentials are found as
/// docker finds them (<c>$DOCKER_CONFIG/config.json</c>, else <c>~/.docker/config.json</c>: credential helpers, then
/// <c>auths</c>); loopback registries are spoken to over plain http.
/// </summary>
public abstract class ImagePromoterSettings
{
    /// <summary>Serve a registry host from another address, e.g. <c>gcr.io</c> from <c>127.0.0.1:5000</c> (a mirror or a
    /// local stand-in); empty by default.</summary>
    public IDictionary<string, string> RegistryAliases { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The storage folder of a CNCF Distribution registry on this machine, per registry host: through it snapshots
    /// and purges also find manifests no tag reaches (the registry API cannot list them); empty by default.</summary>
    public IDictionary<string, DirectoryPath> RegistryStorage { get; } = new Dictionary<string, DirectoryPath>(StringComparer.Ordinal);

    /// <summary>How long a registry may stay silent before an attempt fails (connecting waits 30 s at most); null for the
    /// library's default (120 s).</summary>
    public TimeSpan? RegistryTimeout { get; set; }

    /// <summary>Requests per second to one registry host at most (0: unlimited); null for the default: 50 per host, loopback
    /// hosts unlimited. Once set it applies to loopback hosts too.</summary>
    public int? MaxRequestsPerSecond { get; set; }

    /// <summary>How long one request may keep being retried (after a 429, a 5xx, a reset or a timeout); null for the
    /// library's default (12 minutes).</summary>
    public TimeSpan? RetryBudget { get; set; }

    /// <summary>
    /// Use these registry clients (and their aliases, limits and credentials) instead of making new ones from the settings
    /// above, which are then ignored; the caller keeps ownership. For a build that shares one pool across its tasks.
    /// </summary>
    public RegistryPool? Registries { get; set; }
}
