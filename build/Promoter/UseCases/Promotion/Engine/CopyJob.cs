using Promoter.Oci;

namespace Promoter.Promotion.Engine;

/// <summary>A copy of one manifest (with its children and blobs) from a source repository to a destination repository.</summary>
/// <param name="Source">The source, by digest.</param>
/// <param name="Destination">The destination repository, by digest.</param>
public sealed record CopyJob(ImageReference Source, ImageReference Destination);
