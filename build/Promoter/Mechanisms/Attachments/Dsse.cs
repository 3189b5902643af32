using System.Text;
using System.Text.Json;
using Promoter.Oci;

namespace Promoter.Attachments;

/// <summary>
/// DSSE envelopes, as cosign stores attestations in <c>sha256-&lt;hex&gt;.att</c> layers (media type
/// <see cref="EnvelopeMediaType"/>), and the in-toto statements they carry. Sources: secure-systems-lab/dsse
/// <c>protocol.md</c> ("Signature definition": PAE) and <c>envelope.md</c> (the JSON), in-toto/attestation
/// <c>spec/v0.1.0/statement.md</c>, sigstore/cosign <c>specs/ATTESTATION_SPEC.md</c> (the layer and its annotations).
/// </summary>
public static class Dsse
{
    /// <summary>The layer media type of a cosign attestation: a DSSE envelope.</summary>
    public const string EnvelopeMediaType = "application/vnd.dsse.envelope.v1+json";

    /// <summary>The <c>payloadType</c> of an in-toto statement.</summary>
    public const string InTotoPayloadType = "application/vnd.in-toto+json";

    /// <summary>The in-toto statement <c>_type</c> cosign writes (v0.1).</summary>
    public const string StatementType = "https://in-toto.io/Statement/v0.1";

    /// <summary>The layer annotation naming the attestation's predicate type (cosign <c>predicateType</c>).</summary>
    public const string PredicateTypeAnnotation = "predicateType";

    /// <summary>
    /// The pre-authentication encoding DSSE signs: <c>"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body</c>, LEN being
    /// the byte length in ASCII decimal (protocol.md "Signature definition").
    /// </summary>
    public static byte[] Pae(string payloadType, byte[] payload)
    {
        var type = Encoding.UTF8.GetBytes(payloadType);
        var head = Encoding.ASCII.GetBytes($"DSSEv1 {type.Length} ");
        var middle = Encoding.ASCII.GetBytes($" {payload.Length} ");
        return [.. head, .. type, .. middle, .. payload];
    }

    /// <summary>The envelope JSON: <c>{"payloadType":T,"payload":base64(P),"signatures":[{"keyid":K,"sig":S}]}</c>, compact.</summary>
    public static byte[] Write(string payloadType, byte[] payload, IReadOnlyList<DsseSignature> signatures) => Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("payloadType", payloadType);
        w.WriteString("payload", Convert.ToBase64String(payload));
        w.WriteStartArray("signatures");
        foreach (var signature in signatures)
        {
            w.WriteStartObject();
            w.WriteString("keyid", signature.KeyId);
            w.WriteString("sig", signature.SignatureBase64);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>Reads an envelope.</summary>
    /// <exception cref="FormatException">Not JSON, or <c>payloadType</c>, <c>payload</c> (base64) or <c>signatures</c> missing or
    /// of the wrong type; the message names <paramref name="source"/> and the field.</exception>
    public static DsseEnvelope Parse(byte[] bytes, string source)
    {
        try
        {
            using var json = JsonDocument.Parse(bytes);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new FormatException($"{source}: a DSSE envelope must be a JSON object.");
            var type = root.TryGetProperty("payloadType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()!
                : throw new FormatException($"{source}: the DSSE envelope has no string 'payloadType'.");
            var payloadText = root.TryGetProperty("payload", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()!
                : throw new FormatException($"{source}: the DSSE envelope has no string 'payload'.");
            byte[] payload;
            try { payload = Convert.FromBase64String(payloadText); }
            catch (FormatException) { throw new FormatException($"{source}: the DSSE envelope's 'payload' is not base64."); }
            if (!root.TryGetProperty("signatures", out var s) || s.ValueKind != JsonValueKind.Array)
                throw new FormatException($"{source}: the DSSE envelope has no 'signatures' array.");
            var signatures = s.EnumerateArray().Select((e, i) =>
            {
                var sig = e.ValueKind == JsonValueKind.Object && e.TryGetProperty("sig", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()!
                    : throw new FormatException($"{source}: signatures[{i}] has no string 'sig'.");
                var keyId = e.TryGetProperty("keyid", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString()! : "";
                return new DsseSignature(keyId, sig);
            }).ToList();
            return new DsseEnvelope(type, payload, signatures);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: the DSSE envelope is not JSON ({e.Message}).");
        }
    }

    /// <summary>
    /// An in-toto statement (v0.1) about one image: <c>{"_type":…,"predicateType":P,"subject":[{"name":N,"digest":{"sha256":H}}],"predicate":{…}}</c>,
    /// compact, keys in that order; <paramref name="predicate"/> writes the predicate object's properties.
    /// </summary>
    public static byte[] Statement(string subjectName, Digest subject, string predicateType, IReadOnlyDictionary<string, string> predicate) => Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("_type", StatementType);
        w.WriteString("predicateType", predicateType);
        WriteSubject(w, subjectName, subject);
        w.WriteStartObject("predicate");
        foreach (var (key, value) in predicate.OrderBy(p => p.Key, StringComparer.Ordinal)) w.WriteString(key, value);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    /// <summary>The sha256 digests a statement's <c>subject</c> entries name.</summary>
    /// <exception cref="FormatException">Not an in-toto statement (no <c>_type</c> or <c>subject</c> array), or a subject digest is not sha256 hex.</exception>
    public static IReadOnlyList<Digest> StatementSubjects(byte[] statement, string source)
    {
        try
        {
            using var json = JsonDocument.Parse(statement);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("_type", out _))
                throw new FormatException($"{source}: not an in-toto statement (no '_type').");
            if (!root.TryGetProperty("subject", out var subjects) || subjects.ValueKind != JsonValueKind.Array)
                throw new FormatException($"{source}: the statement has no 'subject' array.");
            return subjects.EnumerateArray().Select((s, i) =>
            {
                var hex = s.ValueKind == JsonValueKind.Object && s.TryGetProperty("digest", out var d) && d.ValueKind == JsonValueKind.Object
                          && d.TryGetProperty("sha256", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
                return Digest.TryParse("sha256:" + hex, out var digest) ? digest
                    : throw new FormatException($"{source}: subject[{i}].digest.sha256 '{hex}' is not a sha256 hex digest.");
            }).ToList();
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: the statement is not JSON ({e.Message}).");
        }
    }

    /// <summary>Writes an in-toto statement's <c>"subject":[{"name":N,"digest":{"sha256":H}}]</c> (one subject).</summary>
    internal static void WriteSubject(Utf8JsonWriter w, string name, Digest digest)
    {
        w.WriteStartArray("subject");
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteStartObject("digest");
        w.WriteString("sha256", digest.Hex);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
    }

    /// <summary>Compact JSON as <paramref name="write"/> writes it, non-ASCII and HTML characters unescaped.</summary>
    internal static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            write(writer);
        return buffer.ToArray();
    }
}
