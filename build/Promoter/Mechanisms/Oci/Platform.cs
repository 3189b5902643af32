using System.Text.Json.Serialization;

namespace Promoter.Oci;

/// <summary>The platform of an index entry (OCI image-spec <c>image-index.md</c>).</summary>
/// <param name="Architecture">e.g. <c>amd64</c>, <c>s390x</c>.</param>
/// <param name="Os">e.g. <c>linux</c>.</param>
/// <param name="Variant">Optional CPU variant, e.g. <c>v8</c>.</param>
public sealed record Platform(
    [property: JsonPropertyName("architecture")] string Architecture,
    [property: JsonPropertyName("os")] string Os,
    [property: JsonPropertyName("variant"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Variant = null)
{
    /// <inheritdoc />
    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";

    /// <summary>Parses <c>os/architecture[/variant]</c>, e.g. <c>linux/arm64/v8</c> (each part <c>[a-z0-9_.-]+</c>, as the OCI
    /// platform values such as <c>amd64</c>, <c>s390x</c>, <c>ppc64le</c> are written).</summary>
    /// <exception cref="FormatException">The text has another shape; the message quotes it and says what was expected.</exception>
    public static Platform Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0 || !p.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '.' or '-')))
            throw new FormatException($"'{text}' is not a platform; expected os/architecture[/variant], e.g. linux/amd64.");
        return new Platform(parts[1], parts[0], parts.Length == 3 ? parts[2] : null);
    }
}
