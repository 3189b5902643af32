using Promoter.Oci;

namespace Promoter.Releases;

/// <summary>A release image in the staging registry.</summary>
/// <param name="Definition">The image definition.</param>
/// <param name="Reference">The reference pushed, e.g. <c>127.0.0.1:5000/cip-staging/promoter:v1.2.0</c>.</param>
/// <param name="Digest">The manifest digest the staging registry holds under that reference.</param>
public sealed record StagedReleaseImage(ReleaseImage Definition, string Reference, Digest Digest);
