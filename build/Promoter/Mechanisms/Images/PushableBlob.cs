using Promoter.Oci;

namespace Promoter.Images;

/// <summary>A blob to push: its descriptor and a way to open its content.</summary>
public sealed class PushableBlob
{
    private readonly Func<Stream> _open;

    /// <summary>Creates a blob from a descriptor and a content opener.</summary>
    /// <param name="descriptor">Media type, sha256 digest and size in bytes of the content.</param>
    /// <param name="open">Opens a fresh read stream over exactly the content; called once per push.</param>
    public PushableBlob(Descriptor descriptor, Func<Stream> open)
    {
        Descriptor = descriptor;
        _open = open;
    }

    /// <summary>Media type, digest and size of the blob.</summary>
    public Descriptor Descriptor { get; }

    /// <summary>The blob's digest.</summary>
    public Digest Digest => Descriptor.ParsedDigest;

    /// <summary>Opens a new read stream over the blob's bytes (the caller disposes it).</summary>
    public Stream OpenRead() => _open();
}
