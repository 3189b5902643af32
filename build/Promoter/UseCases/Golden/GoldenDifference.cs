namespace Promoter.Golden;

/// <summary>One difference between a committed golden folder and a fresh build.</summary>
/// <param name="Archive">The file path relative to the committed folder, '/'-separated.</param>
/// <param name="Kind">What differs.</param>
/// <param name="Offset">For <see cref="GoldenDifferenceKind.Differs"/>: the 0-based offset of the first differing byte
/// (the shorter length when one file is a prefix of the other); otherwise null.</param>
/// <param name="CommittedSize">Size of the committed file in bytes, or null when it is missing.</param>
/// <param name="BuiltSize">Size of the built file in bytes, or null for an extra file.</param>
public sealed record GoldenDifference(string Archive, GoldenDifferenceKind Kind, long? Offset, long? CommittedSize, long? BuiltSize)
{
    /// <summary>A one-line description, e.g. <c>foo/1.0-linux_amd64.tar: differs at byte 1536 (committed 25600 bytes, built 25600 bytes)</c>.</summary>
    public override string ToString() => Kind switch
    {
        GoldenDifferenceKind.Missing => $"{Archive}: missing from the committed folder (the build writes {BuiltSize} bytes)",
        GoldenDifferenceKind.Extra => $"{Archive}: extra file in the committed folder ({CommittedSize} bytes), not written by the build nor named by a committed-only image",
        _ => $"{Archive}: differs at byte {Offset} (committed {CommittedSize} bytes, built {BuiltSize} bytes)",
    };
}
