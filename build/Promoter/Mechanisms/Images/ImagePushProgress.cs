namespace Promoter.Images;

/// <summary>Progress of one image of a push.</summary>
/// <param name="Image">The image's name (or <c>repository:tag</c> for an index).</param>
/// <param name="BytesDone">Blob bytes confirmed in the registry so far.</param>
/// <param name="BytesTotal">All blob bytes of the image.</param>
/// <param name="Done">True once the manifest and tags are written.</param>
public sealed record ImagePushProgress(string Image, long BytesDone, long BytesTotal, bool Done);
