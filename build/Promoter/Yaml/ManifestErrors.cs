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

/// <summary>One problem found in an input file (a promoter manifest, images.yaml, snapshot, test or image-set file).</summary>
/// <param name="At">The file, line and field the problem is about.</param>
/// <param name="Message">What is wrong and what was expected.</param>
public sealed record ManifestError(SourceLocation At, string Message)
{
    /// <summary><c>file:line: field: message</c> (the field part is left out for whole-document problems, the line for whole-file ones).</summary>
    public override string ToString() =>
        At.Field.Length == 0 ? $"{At}: {Message}" : $"{At}: {At.Field}: {Message}";
}

/// <summary>
/// Thrown when a CIP file cannot be read or fails validation (formats: <c>manifests/README.md</c>).
/// Carries every problem found, not just the first; <see cref="Exception.Message"/> lists them one per line.
/// </summary>
public sealed class ManifestException : PromoterException
{
    /// <summary>Creates the exception from one or more problems.</summary>
    /// <exception cref="ArgumentException"><paramref name="errors"/> is empty.</exception>
    public ManifestException(IEnumerable<ManifestError> errors)
        : base(Describe(errors, out var list))
    {
        Errors = list;
    }

    /// <summary>The first problem's <c>file:line: field</c>.</summary>
    public override string? Subject => Errors.Count > 0 ? $"{Errors[0].At.File}:{Errors[0].At.Line}: {Errors[0].At.Field}" : null;

    /// <summary>Creates the exception from a single problem.</summary>
    public ManifestException(ManifestError error)
        : this(new[] { error })
    {
    }

    /// <summary>The problems, in the order they were found.</summary>
    public IReadOnlyList<ManifestError> Errors { get; }

    private static string Describe(IEnumerable<ManifestError> errors, out List<ManifestError> list)
    {
        list = errors.ToList();
        if (list.Count == 0)
            throw new ArgumentException("A ManifestException needs at least one error.", nameof(errors));
        return string.Join(Environment.NewLine, list);
    }
}
