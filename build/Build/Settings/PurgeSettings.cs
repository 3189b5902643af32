namespace Build.Settings;

/// <summary>PurgeDest.</summary>
/// <param name="TestFile">The e2e test file whose destinations are purged (absolute).</param>
/// <param name="Only">Only these destinations, or null for all.</param>
/// <param name="AllowRemote">Non-loopback registries may be purged.</param>
public sealed record PurgeSettings(string TestFile, IReadOnlyList<string>? Only, bool AllowRemote);
