namespace Promoter.Yaml;

/// <summary>
/// Where a value sits in a YAML file: the file as it was named to the reader, the 1-based line of the
/// node, and the field path inside the document (e.g. <c>images[0].dmap</c>; empty for the document itself).
/// </summary>
/// <param name="File">The file name as given to the reader (e.g. <c>manifests/foo.yaml</c>).</param>
/// <param name="Line">The 1-based line number of the node, or 0 when the problem is about the file as a whole (it is missing,
/// not a regular file, too large).</param>
/// <param name="Field">The field path, e.g. <c>registries[1].name</c>, or empty for the whole document.</param>
public readonly record struct SourceLocation(string File, int Line, string Field)
{
    /// <summary><c>file:line</c>, or just <c>file</c> when <see cref="Line"/> is 0.</summary>
    public override string ToString() => Line > 0 ? $"{File}:{Line}" : File;
}
