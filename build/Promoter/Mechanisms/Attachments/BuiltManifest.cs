using Promoter.Oci;
using Promoter.Registry;

namespace Promoter.Attachments;

/// <summary>A manifest this project wrote (a merged <c>.sig</c>/<c>.att</c> or referrers index), with the config blob it needs.</summary>
/// <param name="Manifest">The manifest bytes, media type and digest.</param>
/// <param name="Config">The config blob's bytes (empty for an index).</param>
/// <param name="ConfigDigest">The config blob's digest (null for an index).</param>
public sealed record BuiltManifest(ManifestContent Manifest, byte[] Config, Digest? ConfigDigest);
