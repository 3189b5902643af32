using Promoter.Oci;

namespace Promoter.Registry;

/// <summary>What a caller knows about a reference before <see cref="ManifestWriter"/> writes it.</summary>
public sealed record ManifestPutGuard
{
    private ManifestPutGuard(bool check, bool overwrite, Digest? expected)
    {
        Check = check;
        MayOverwrite = overwrite;
        Expected = expected;
    }

    /// <summary>No HEAD before the put: the caller has just seen the reference missing (a copy by digest it planned).</summary>
    public static ManifestPutGuard None { get; } = new(false, true, null);

    /// <summary>
    /// No HEAD before the put: the caller has just listed the repository's tags and the tag was not among them (so the
    /// guard of <see cref="Expect"/>(null) is already done, for several tags at once).
    /// </summary>
    public static ManifestPutGuard Listed { get; } = new(false, false, null);

    /// <summary>A HEAD before the put: nothing is written when the reference already names the digest; anything else is overwritten (a push).</summary>
    public static ManifestPutGuard Overwrite { get; } = new(true, true, null);

    /// <summary>
    /// A HEAD before the put: nothing is written when the tag already names the digest; the put goes ahead only when the
    /// tag still names <paramref name="current"/> (null: the tag is still absent), as the caller saw it when it planned.
    /// </summary>
    /// <param name="current">The digest the tag named when the caller looked, or null when it was absent.</param>
    public static ManifestPutGuard Expect(Digest? current) => new(true, false, current);

    /// <summary>Whether a HEAD precedes the put.</summary>
    public bool Check { get; }

    /// <summary>Whether whatever the reference names may be replaced.</summary>
    public bool MayOverwrite { get; }

    /// <summary>Unless <see cref="MayOverwrite"/>: the digest the reference must still name (null: absent).</summary>
    public Digest? Expected { get; }
}
