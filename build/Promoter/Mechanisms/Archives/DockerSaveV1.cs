using System.Globalization;
using System.Text;
using Promoter.Oci;

namespace Promoter.Archives;

/// <summary>
/// The legacy v1 layer folders of a <c>docker save</c> archive, as the moby daemon writes them (its image export and
/// v1 image code): per layer a folder named by a v1 id, holding <c>VERSION</c>, <c>json</c> and <c>layer.tar</c>.
/// <list type="bullet">
/// <item>chain ids: the first is the first diff_id; each next one is <c>"sha256:" + sha256("&lt;previous chain id&gt; &lt;diff_id&gt;")</c>;</item>
/// <item>each layer has a v1 record, fields in the order of Docker's <c>V1Image</c>: id, parent, comment, created,
///   container, container_config, docker_version, author, config, architecture, variant, os (all but created and
///   container_config left out when empty). A lower layer's record has only <c>created</c> - the Unix epoch in the
///   saving machine's local time zone, the one fact of these folders the image does not hold - and an empty
///   <c>container_config</c>; the top layer's takes created, author, config, architecture, variant and os from the
///   image config;</item>
/// <item>the v1 id is the sha256 (hex) of the record without <c>id</c>, plus <c>layer_id</c> (the chain id) and, above the
///   first layer, <c>parent</c> (<c>"sha256:"</c> + the previous v1 id), as compact JSON with keys sorted; a lower
///   layer's record is hashed without <c>os</c>, which docker sets only afterwards;</item>
/// <item><c>json</c> is the record as compact JSON in field order: id, parent (hex, left out on the first layer), the
///   fields, and on lower layers <c>os</c> last.</item>
/// </list>
/// Strings are escaped as Go's encoding/json does (HTML characters and U+2028/U+2029 as <c>\u</c> escapes).
/// </summary>
internal static class DockerSaveV1
{
    /// <summary>One layer folder: its v1 id (hex) and the bytes of its <c>json</c> file.</summary>
    public sealed record Layer(string Id, byte[] Json);

    /// <summary>The chain id of each layer, base first.</summary>
    public static IReadOnlyList<string> ChainIds(IReadOnlyList<Digest> diffIds)
    {
        var result = new List<string>(diffIds.Count);
        foreach (var diffId in diffIds)
            result.Add(result.Count == 0 ? diffId.Value : Digest.Of(Encoding.UTF8.GetBytes($"{result[^1]} {diffId.Value}")).Value);
        return result;
    }

    /// <summary>The layer folders of <paramref name="image"/> whose layer tars hash to <paramref name="diffIds"/>.</summary>
    /// <exception cref="ArgumentException"><see cref="DockerSaveImage.SavedInTimeZone"/> is not a whole number of minutes within ±23:59.</exception>
    public static IReadOnlyList<Layer> Layers(DockerSaveImage image, IReadOnlyList<Digest> diffIds)
    {
        var lowerCreated = EpochIn(image.SavedInTimeZone);
        var chainIds = ChainIds(diffIds);
        var layers = new List<Layer>(diffIds.Count);
        for (var i = 0; i < diffIds.Count; i++)
        {
            var top = i == diffIds.Count - 1;
            var record = top ? TopRecord(image) : LowerRecord(lowerCreated);
            var parent = i == 0 ? null : layers[^1].Id;

            var hashed = new List<(string Key, string Value)>(record) { ("layer_id", Quote(chainIds[i])) };
            if (parent is not null) hashed.Add(("parent", Quote(Digest.Sha256Prefix + parent)));
            var id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(
                Object(hashed.OrderBy(f => f.Key, StringComparer.Ordinal)))));

            var written = new List<(string Key, string Value)> { ("id", Quote(id)) };
            if (parent is not null) written.Add(("parent", Quote(parent)));
            written.AddRange(record);
            if (!top && !string.IsNullOrEmpty(image.Os)) written.Add(("os", Quote(image.Os)));
            layers.Add(new Layer(id, Encoding.UTF8.GetBytes(Object(written))));
        }
        return layers;
    }

    /// <summary>
    /// The Unix epoch as Go's RFC 3339 time format writes it in a zone <paramref name="offset"/> from UTC:
    /// <c>1970-01-01T00:00:00Z</c> for UTC, <c>1969-12-31T19:00:00-05:00</c> for -05:00.
    /// </summary>
    /// <exception cref="ArgumentException">Not a whole number of minutes within ±23:59.</exception>
    public static string EpochIn(TimeSpan offset)
    {
        if (offset.Ticks % TimeSpan.TicksPerMinute != 0 || offset.Duration() >= TimeSpan.FromDays(1))
            throw new ArgumentException($"Time zone offset {offset} is not a whole number of minutes within ±23:59.", nameof(offset));
        var local = DateTime.UnixEpoch + offset;
        var text = local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        return offset == TimeSpan.Zero ? text + "Z" : text + (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);
    }

    /// <summary>A string as Go's encoding/json writes it (before Go 1.22: \b and \f as \u escapes).</summary>
    public static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"' or '\\': text.Append('\\').Append(c); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case < ' ' or '<' or '>' or '&' or '\u2028' or '\u2029':
                    text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default: text.Append(c); break;
            }
        }
        return text.Append('"').ToString();
    }

    /// <summary>A lower layer's record: created (the epoch in the saver's zone) and an empty container_config.</summary>
    private static List<(string, string)> LowerRecord(string created) =>
        [("created", Quote(created)), ("container_config", ContainerConfig(null))];

    /// <summary>The top layer's record, from the fields <see cref="DockerSaveWriter.WriteConfig"/> writes into the config.</summary>
    private static List<(string, string)> TopRecord(DockerSaveImage image)
    {
        // comment, container and docker_version come between these, but the written config never has them.
        var record = new List<(string, string)> { ("created", Quote(DockerSaveWriter.Epoch)), ("container_config", ContainerConfig(null)) };
        if (!string.IsNullOrEmpty(image.Author)) record.Add(("author", Quote(image.Author)));
        record.Add(("config", ContainerConfig(image.Entrypoint)));
        if (!string.IsNullOrEmpty(image.Architecture)) record.Add(("architecture", Quote(image.Architecture)));
        if (!string.IsNullOrEmpty(image.Variant)) record.Add(("variant", Quote(image.Variant)));
        if (!string.IsNullOrEmpty(image.Os)) record.Add(("os", Quote(image.Os)));
        return record;
    }

    /// <summary>
    /// Docker's container <c>Config</c> struct with every field it always writes. Its optional fields (ExposedPorts after
    /// AttachStderr; Healthcheck and ArgsEscaped after Cmd; NetworkDisabled and MacAddress after Entrypoint; StopSignal,
    /// StopTimeout and Shell after Labels) are left out when empty, and the written config never sets them.
    /// </summary>
    private static string ContainerConfig(IReadOnlyList<string>? entrypoint) => Object(
    [
        ("Hostname", "\"\""), ("Domainname", "\"\""), ("User", "\"\""),
        ("AttachStdin", "false"), ("AttachStdout", "false"), ("AttachStderr", "false"),
        ("Tty", "false"), ("OpenStdin", "false"), ("StdinOnce", "false"),
        ("Env", "null"), ("Cmd", "null"), ("Image", "\"\""), ("Volumes", "null"), ("WorkingDir", "\"\""),
        ("Entrypoint", entrypoint is null ? "null" : "[" + string.Join(',', entrypoint.Select(Quote)) + "]"),
        ("OnBuild", "null"), ("Labels", "null"),
    ]);

    private static string Object(IEnumerable<(string Key, string Value)> fields) =>
        "{" + string.Join(',', fields.Select(f => Quote(f.Key) + ":" + f.Value)) + "}";
}
