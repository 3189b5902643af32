namespace Promoter.Registry;

/// <summary>What <see cref="ManifestWriter"/> did.</summary>
public enum ManifestPutOutcome
{
    /// <summary>This call put the manifest, and reading the reference back gave its digest.</summary>
    Written,

    /// <summary>The reference already named the digest (before the put, or because a concurrent writer put the same bytes).</summary>
    AlreadyThere,
}
