using static Build.Settings.SettingParsers;

namespace Build.Settings;

// The settings of operating a registry fleet (issue 27): quota domains, declared beside the others.
public sealed partial class BuildSettings
{
    /// <summary>
    /// The settings of this file. A nested class, so that they are initialised before <see cref="All"/> reads them (static
    /// fields of one type spread over partial files initialise in no documented order).
    /// </summary>
    public static class FleetFlags
    {
        /// <summary><c>--quota-domains</c>: a YAML file of the hosts that share one quota (<see cref="Promoter.Registry.QuotaDomains"/>).</summary>
        public static readonly Setting<string?> QuotaDomains = new("quota-domains", "FILE", null, "Google's registries by project",
            "hosts that share one quota share one rate limit: YAML domains: [{name, hosts: [glob or glob/path-prefix], requestsPerSecond, requestsPerMinute}] " +
            "(requestsPerSecond defaults to --max-requests-per-second); built in: every *-docker.pkg.dev host of one Google project is one domain, gcr.io and every *.gcr.io host of one project another",
            "PushSrc, PurgeDest, E2E, Promote, PromoteRelease", Text);

        /// <summary>Every setting of this class, in the order help lists them.</summary>
        public static IReadOnlyList<SettingDeclaration> All { get; } = [QuotaDomains];
    }
}
