using System.Text.Json;
using Promoter.Oci;

namespace Promoter.Images;

/// <summary>
/// A Docker manifest list (<c>application/vnd.docker.distribution.manifest.list.v2+json</c>) over pushable images,
/// serialised deterministically: entries in the given order, each
/// <c>{"mediaType":..,"size":..,"digest":..,"platform":{"architecture":..,"os":..[,"variant":..]}}</c>, inside
/// <c>{"schemaVersion":2,"mediaType":M,"manifests":[..]}</c> with no insignificant whitespace. The bytes are a pure
/// function of the entries (manifest descriptors and platforms).
/// </summary>
public sealed class PushableIndex
{
    private PushableIndex(byte[] manifestBytes, IReadOnlyList<PushableIndexEntry> entries, IReadOnlyList<Descriptor> manifests)
    {
        ManifestBytes = manifestBytes;
        ManifestDigest = Digest.Of(manifestBytes);
        Entries = entries;
        Manifests = manifests;
    }

    /// <summary>The media type: always <see cref="MediaTypes.DockerManifestList"/>.</summary>
    public string ManifestMediaType => MediaTypes.DockerManifestList;

    /// <summary>The exact manifest list bytes to push.</summary>
    public byte[] ManifestBytes { get; }

    /// <summary>The sha256 digest of <see cref="ManifestBytes"/>.</summary>
    public Digest ManifestDigest { get; }

    /// <summary>The entries, in list order; their images must be pushed before the list.</summary>
    public IReadOnlyList<PushableIndexEntry> Entries { get; }

    /// <summary>The descriptors written into the list (with platforms), in list order.</summary>
    public IReadOnlyList<Descriptor> Manifests { get; }

    /// <summary>Builds the manifest list of <paramref name="entries"/>.</summary>
    /// <param name="entries">At least one entry; no two entries with the same effective platform.</param>
    /// <exception cref="ArgumentException">No entries, or two entries with the same platform.</exception>
    public static PushableIndex Create(IReadOnlyList<PushableIndexEntry> entries)
    {
        if (entries.Count == 0)
            throw new ArgumentException("A manifest list needs at least one entry.", nameof(entries));
        var duplicate = entries.GroupBy(e => e.EffectivePlatform).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException(
                $"Platform {duplicate.Key} appears {duplicate.Count()} times in the manifest list ({string.Join(", ", duplicate.Select(e => e.Image.Source))}); expected each platform once.",
                nameof(entries));
        var manifests = entries.Select(e => e.Image.ManifestDescriptor with { Platform = e.EffectivePlatform }).ToList();
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, CanonicalJson.Options))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", 2);
            json.WriteString("mediaType", MediaTypes.DockerManifestList);
            json.WriteStartArray("manifests");
            foreach (var descriptor in manifests) PushableImage.WriteDescriptor(json, descriptor);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return new PushableIndex(buffer.ToArray(), entries.ToList(), manifests);
    }
}
