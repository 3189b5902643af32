using Promoter.Oci;

namespace Promoter.Archives;

/// <summary>A manifest named by the top-level <c>index.json</c> of an OCI image layout.</summary>
/// <param name="Descriptor">The descriptor in <c>index.json</c> (media type, digest, size, platform).</param>
/// <param name="RefName">The <c>org.opencontainers.image.ref.name</c> annotation, or null.</param>
/// <param name="Document">The parsed manifest or index the descriptor points to.</param>
public sealed record OciLayoutManifest(Descriptor Descriptor, string? RefName, ManifestDocument Document);
