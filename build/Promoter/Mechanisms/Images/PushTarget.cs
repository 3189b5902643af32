namespace Promoter.Images;

/// <summary>Where a push goes.</summary>
/// <param name="Registry">The registry name, <c>host[:port][/prefix]</c>.</param>
/// <param name="Repository">The repository below the registry's prefix, e.g. <c>library/foo</c>.</param>
/// <param name="Tags">The tags to leave on the manifest; empty for a push by digest only (a tagless image).</param>
public sealed record PushTarget(string Registry, string Repository, IReadOnlyList<string> Tags);
