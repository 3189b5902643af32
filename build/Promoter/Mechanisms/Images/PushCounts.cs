namespace Promoter.Images;

/// <summary>What an engine sent, when it knows (the oci engine counts; the docker CLI does not tell).</summary>
/// <param name="BlobsUploaded">Blobs sent to a registry.</param>
/// <param name="BlobsPresent">Blobs a registry already had (not sent again).</param>
/// <param name="ManifestsPut">Manifests and tags written (ones already in place are not written again).</param>
public sealed record PushCounts(int BlobsUploaded, int BlobsPresent, int ManifestsPut);
