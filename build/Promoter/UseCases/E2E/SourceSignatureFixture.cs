using System.Text.Json;
using Promoter.Inputs;
using Promoter.Oci;

namespace Promoter.E2E;

/// <summary>
/// The signatures an e2e test's <c>attach</c> file holds (JSON, see <c>manifests/e2e/README.md</c>):
/// <c>{"comment":…,"publicKey":"test-only-cosign.pub","signatures":[{"reference":R,"digest":D,"signature":S,"attestation":A}]}</c>.
/// ECDSA signatures are randomized, so signatures made at run time would change the <c>.sig</c>/<c>.att</c> manifest
/// digests every run; signing once with a throwaway key and committing the signatures (never the private key) keeps the
/// expected snapshots literal, as upstream snapshots of registry.k8s.io are.
/// </summary>
/// <param name="PublicKeyFile">The PEM public key file, relative to the fixture file's folder.</param>
/// <param name="Signatures">The signatures, sorted by reference then digest.</param>
public sealed record SourceSignatureFixture(string PublicKeyFile, IReadOnlyList<SourceSignature> Signatures)
{
    /// <summary>The fixture's <c>comment</c>: what it is, that the key was test-only and thrown away.</summary>
    public const string Comment =
        "TEST-ONLY signatures for the e2e suite's signed golden images, made once by ./build.sh --target E2E --e2e-new-test-signatures " +
        "with a P-256 key generated in memory and discarded (the private key was never written). Not a release key.";

    /// <summary>The signature of <paramref name="digest"/> for <paramref name="reference"/>, or null.</summary>
    public SourceSignature? Find(string reference, Digest digest) =>
        Signatures.FirstOrDefault(s => s.Digest == digest && string.Equals(s.Reference, reference, StringComparison.Ordinal));

    /// <summary>Reads a fixture file.</summary>
    /// <exception cref="InputFileException">The file is missing or unreadable.</exception>
    /// <exception cref="FormatException">Not JSON, or a field missing or malformed; the message names the file and the field.</exception>
    public static SourceSignatureFixture Load(string path)
    {
        var text = InputFile.ReadAllText(path);
        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            string Text(JsonElement e, string name, string field) =>
                e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0
                    ? v.GetString()! : throw new FormatException($"{path}: {field}{name} is missing or not a non-empty string.");
            var publicKey = Text(root, "publicKey", "");
            if (!root.TryGetProperty("signatures", out var list) || list.ValueKind != JsonValueKind.Array)
                throw new FormatException($"{path}: 'signatures' is missing or not an array.");
            var signatures = list.EnumerateArray().Select((e, i) =>
            {
                var field = $"signatures[{i}].";
                var digestText = Text(e, "digest", field);
                if (!Digest.TryParse(digestText, out var digest)) throw new FormatException($"{path}: {field}digest '{digestText}' is not a sha256 digest.");
                return new SourceSignature(Text(e, "reference", field), digest, Text(e, "signature", field), Text(e, "attestation", field));
            }).ToList();
            return new SourceSignatureFixture(publicKey, signatures);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: not valid JSON ({e.Message}).");
        }
    }

    /// <summary>Writes the fixture (indented JSON, signatures sorted) to <paramref name="path"/>, through a temporary file.</summary>
    public void Save(string path)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("comment", Comment);
            w.WriteString("publicKey", PublicKeyFile);
            w.WriteStartArray("signatures");
            foreach (var s in Signatures.OrderBy(s => s.Reference, StringComparer.Ordinal).ThenBy(s => s.Digest.Value, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                w.WriteString("reference", s.Reference);
                w.WriteString("digest", s.Digest.Value);
                w.WriteString("signature", s.Signature);
                w.WriteString("attestation", s.Attestation);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, [.. buffer.ToArray(), (byte)'\n']);
        File.Move(temporary, path, overwrite: true);
    }
}
