using Promoter.Oci;

namespace Promoter.Images;

/// <summary>One entry of a manifest list to build.</summary>
/// <param name="Image">The image the entry points to.</param>
/// <param name="Platform">
/// The platform to record in the list, or null to use the platform of the image config. An override is how
/// upstream's <c>docker manifest annotate --arch=s390x</c> marks an image whose config says amd64.
/// </param>
public sealed record PushableIndexEntry(PushableImage Image, Platform? Platform = null)
{
    /// <summary>The platform the list records: the override if given, else the config's.</summary>
    public Platform EffectivePlatform => Platform ?? Image.Platform;
}
