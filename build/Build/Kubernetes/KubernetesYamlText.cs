using k8s;
using k8s.Models;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Build.Kubernetes;

/// <summary>
/// YAML text of typed objects: Kubernetes objects through <see cref="KubernetesYaml"/> (which writes no trailing newline,
/// so documents are joined with <c>"\n---\n"</c>), a kustomization in camelCase, Prow's job config in snake_case with
/// its pod specs written and read by <see cref="KubernetesYaml"/>. Every text starts with the given header comment
/// lines and ends with one newline.
/// </summary>
public static class KubernetesYamlText
{
    private static readonly ISerializer KustomizeWriter = new SerializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        .DisableAliases()
        .Build();

    private static readonly ISerializer ProwWriter = new SerializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        .WithTypeConverter(new PodSpecConverter())
        .DisableAliases()
        .Build();

    private static readonly IDeserializer ProwReader = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .WithTypeConverter(new PodSpecConverter())
        .Build();

    /// <summary>Kubernetes objects as one multi-document YAML text, in the order given.</summary>
    /// <param name="header">Comment lines written first, without the <c>#</c>.</param>
    /// <param name="objects">Typed objects (<c>V1Job</c>, <c>V1CronJob</c>...), each with its apiVersion and kind set.</param>
    public static string Documents(IEnumerable<string> header, IEnumerable<IKubernetesObject> objects) =>
        Comment(header) + string.Join("\n---\n", objects.Select(o => KubernetesYaml.Serialize(o).TrimEnd('\n'))) + "\n";

    /// <summary>A kustomization as YAML text.</summary>
    /// <param name="header">Comment lines written first, without the <c>#</c>.</param>
    /// <param name="kustomization">The kustomization; null fields are left out.</param>
    public static string Kustomization(IEnumerable<string> header, Kustomization kustomization) =>
        Comment(header) + KustomizeWriter.Serialize(kustomization).TrimEnd('\n') + "\n";

    /// <summary>Prow's job configuration as YAML text (snake_case keys, pod specs as Kubernetes writes them).</summary>
    /// <param name="header">Comment lines written first, without the <c>#</c>.</param>
    /// <param name="config">The job configuration; null fields are left out.</param>
    public static string WriteProw(IEnumerable<string> header, ProwJobConfig config) =>
        Comment(header) + ProwWriter.Serialize(config).TrimEnd('\n') + "\n";

    /// <summary>Reads a Prow job configuration written by <see cref="WriteProw"/> (or by hand) back into the typed model.</summary>
    /// <exception cref="YamlException">The text is not YAML or has a key the model does not know.</exception>
    public static ProwJobConfig ReadProw(string text) => ProwReader.Deserialize<ProwJobConfig>(text) ?? new ProwJobConfig();

    private static string Comment(IEnumerable<string> header) => string.Concat(header.Select(line => $"# {line}".TrimEnd() + "\n"));

    /// <summary>Writes and reads a <see cref="V1PodSpec"/> inside another document through <see cref="KubernetesYaml"/>.</summary>
    private sealed class PodSpecConverter : IYamlTypeConverter
    {
        public bool Accepts(Type type) => type == typeof(V1PodSpec);

        public object? ReadYaml(IParser parser, Type type, ObjectDeserializer rootDeserializer)
        {
            using var text = new StringWriter();
            var emitter = new Emitter(text);
            emitter.Emit(new StreamStart());
            emitter.Emit(new DocumentStart());
            var depth = 0;
            do
            {
                var parsed = parser.Consume<ParsingEvent>();
                depth += parsed.NestingIncrease;
                emitter.Emit(parsed);
            } while (depth > 0);
            emitter.Emit(new DocumentEnd(isImplicit: true));
            emitter.Emit(new StreamEnd());
            return KubernetesYaml.Deserialize<V1PodSpec>(text.ToString(), strict: true);
        }

        public void WriteYaml(IEmitter emitter, object? value, Type type, ObjectSerializer serializer)
        {
            var parser = new Parser(new StringReader(KubernetesYaml.Serialize(value)));
            parser.Consume<StreamStart>();
            parser.Consume<DocumentStart>();
            while (!parser.Accept<DocumentEnd>(out _))
                emitter.Emit(parser.Consume<ParsingEvent>());
        }
    }
}
