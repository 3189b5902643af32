namespace Promoter.Registry;

/// <summary>How one call of <see cref="BlobTransfer"/> got a blob into the target repository.</summary>
public enum BlobCopyOutcome
{
    /// <summary>The target repository already had the blob; nothing was moved.</summary>
    AlreadyPresent,
    /// <summary>Cross-repository mount on the same registry (no bytes moved).</summary>
    Mounted,
    /// <summary>The bytes were uploaded (from the source registry or local content), every byte verified.</summary>
    Uploaded,
    /// <summary>An earlier call of the same transfer moved (or found) this blob for this repository; this call waited for it.</summary>
    Shared,
}
