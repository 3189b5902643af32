using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Promoter.Oci;

/// <summary>
/// A content digest as the OCI image spec defines it (<c>algorithm ":" encoded</c>). Only <c>sha256</c>
/// with 64 lower-case hex characters is accepted, as registries and the CIP formats require.
/// </summary>
public readonly partial record struct Digest
{
    /// <summary>The algorithm prefix used by every digest here.</summary>
    public const string Sha256Prefix = "sha256:";

    private Digest(string value) => Value = value;

    /// <summary>The full text, e.g. <c>sha256:3f0e…</c> (71 characters).</summary>
    public string Value { get; }

    /// <summary>The 64 hex characters after the algorithm.</summary>
    public string Hex => Value[Sha256Prefix.Length..];

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="FormatException">Not <c>sha256:</c> followed by 64 lower-case hex characters.</exception>
    public static Digest Parse(string text) =>
        TryParse(text, out var digest)
            ? digest
            : throw new FormatException($"'{text}' is not a digest: expected sha256: followed by 64 lower-case hex characters.");

    /// <summary>Parses <paramref name="text"/> without throwing.</summary>
    public static bool TryParse(string? text, out Digest digest)
    {
        digest = default;
        if (text is null || !Pattern().IsMatch(text)) return false;
        digest = new Digest(text);
        return true;
    }

    /// <summary>The sha256 digest of <paramref name="content"/>.</summary>
    public static Digest Of(ReadOnlySpan<byte> content) =>
        new(Sha256Prefix + Convert.ToHexStringLower(SHA256.HashData(content)));


    /// <summary>A digest from a finished sha256 hash (32 bytes).</summary>
    public static Digest FromHash(ReadOnlySpan<byte> sha256) =>
        sha256.Length == 32
            ? new(Sha256Prefix + Convert.ToHexStringLower(sha256))
            : throw new ArgumentException("A sha256 hash is 32 bytes.", nameof(sha256));

    /// <inheritdoc />
    public override string ToString() => Value ?? "";

    [GeneratedRegex("^sha256:[0-9a-f]{64}$")]
    private static partial Regex Pattern();
}
