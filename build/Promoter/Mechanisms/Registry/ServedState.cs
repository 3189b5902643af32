namespace Promoter.Registry;

/// <summary>What a registry answers for a blob or manifest a run relies on.</summary>
public enum ServedState
{
    /// <summary>Served: the answer is 200 with the expected length (and, for a deep check, bytes hashing to the digest).</summary>
    Served,

    /// <summary>The registry answers 404: the content is not in the repository.</summary>
    Missing,

    /// <summary>
    /// The registry lists the content but does not serve it correctly: a 5xx answer, a length other than the descriptor's,
    /// or bytes that hash to another digest (what a registry killed mid-write leaves: an empty link file, a 0-byte data file).
    /// </summary>
    Broken,
}
