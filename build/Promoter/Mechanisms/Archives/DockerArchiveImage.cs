using Promoter.Oci;

namespace Promoter.Archives;

/// <summary>One image of a <c>docker save</c> archive (one object of its <c>manifest.json</c> array).</summary>
public sealed class DockerArchiveImage
{
    internal DockerArchiveImage(string configPath, byte[] configBytes, IReadOnlyList<string> repoTags,
        IReadOnlyList<DockerArchiveLayer> layers, Platform platform)
    {
        ConfigPath = configPath;
        ConfigBytes = configBytes;
        ConfigDigest = Digest.Of(configBytes);
        RepoTags = repoTags;
        Layers = layers;
        Platform = platform;
    }

    /// <summary>The entry name of the image config JSON (e.g. <c>&lt;hex&gt;.json</c>).</summary>
    public string ConfigPath { get; }

    /// <summary>The image config exactly as stored in the archive.</summary>
    public byte[] ConfigBytes { get; }

    /// <summary>The sha256 digest of <see cref="ConfigBytes"/> (the image ID).</summary>
    public Digest ConfigDigest { get; }

    /// <summary>The <c>RepoTags</c> of <c>manifest.json</c> (e.g. <c>gcr.io/x/foo:1.0</c>); empty when null.</summary>
    public IReadOnlyList<string> RepoTags { get; }

    /// <summary>The layers, base first, each verified against its diff_id.</summary>
    public IReadOnlyList<DockerArchiveLayer> Layers { get; }

    /// <summary>The platform the config declares (<c>os</c>, <c>architecture</c>, optional <c>variant</c>).</summary>
    public Platform Platform { get; }
}
