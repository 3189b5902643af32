namespace Promoter.Registry;

/// <summary>Where a registry name's host is served.</summary>
/// <param name="Address">The host[:port] actually contacted, e.g. <c>127.0.0.1:40123</c>.</param>
/// <param name="StorageRoot">
/// For a CNCF Distribution process this run started: its filesystem storage root, through which tagless manifests
/// (which the Distribution API cannot list) are found. Null for any other registry.
/// </param>
public sealed record RegistryEndpoint(string Address, string? StorageRoot = null);
