using System.Text.Encodings.Web;
using System.Text.Json;

namespace Promoter.Oci;

/// <summary>Writer settings for the JSON this folder produces: compact, and '+' (in media types) not escaped.</summary>
internal static class CanonicalJson
{
    public static readonly JsonWriterOptions Options = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Runs <paramref name="write"/> against a compact writer and returns the UTF-8 bytes.</summary>
    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options)) write(json);
        return buffer.ToArray();
    }
}
