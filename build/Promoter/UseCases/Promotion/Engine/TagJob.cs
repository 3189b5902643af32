using Promoter.Oci;

namespace Promoter.Promotion.Engine;

/// <summary>A tag to write in a destination once its digest is there.</summary>
/// <param name="Destination">The destination repository and tag.</param>
/// <param name="Digest">The digest the tag must point at.</param>
/// <param name="Previous">The digest the tag pointed at when planned (a tag move), or null when it was absent; the write
/// goes ahead only if the tag still points there.</param>
public sealed record TagJob(ImageReference Destination, Digest Digest, Digest? Previous = null);
