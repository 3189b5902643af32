namespace Promoter.Yaml;

/// <summary>
/// A YAML input file cannot be read as YAML or fails validation (the loaders that decode their files with
/// <see cref="YamlDecoder"/> throw it). Carries every problem found, not just the
/// first; <see cref="Exception.Message"/> lists them one per line, each as <c>file:line: field: message</c>.
/// </summary>
public sealed class InputFormatException : PromoterException
{
    /// <summary>Creates the exception from one or more problems.</summary>
    /// <param name="errors">The problems, in the order they were found (at least one).</param>
    /// <param name="inner">The underlying error, if any.</param>
    /// <exception cref="ArgumentException"><paramref name="errors"/> is empty.</exception>
    public InputFormatException(IEnumerable<ManifestError> errors, Exception? inner = null)
        : base(Describe(errors, out var list), inner)
    {
        Errors = list;
    }

    /// <summary>Creates the exception from a single problem.</summary>
    public InputFormatException(ManifestError error, Exception? inner = null)
        : this([error], inner)
    {
    }

    /// <summary>Creates the exception for one problem.</summary>
    /// <param name="file">The file as it was named to the reader.</param>
    /// <param name="line">1-based line of the offending node (0 when not known).</param>
    /// <param name="field">The field path, e.g. <c>images[2].platform</c>.</param>
    /// <param name="message">What was wrong and what was expected.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public InputFormatException(string file, int line, string field, string message, Exception? inner = null)
        : this(new ManifestError(new SourceLocation(file, line, field), message), inner)
    {
    }

    /// <summary>The problems, in the order they were found.</summary>
    public IReadOnlyList<ManifestError> Errors { get; }

    /// <summary>The file of the first problem.</summary>
    public string File => Errors[0].At.File;

    /// <summary>1-based line number of the first problem (0 for a whole-file problem).</summary>
    public int Line => Errors[0].At.Line;

    /// <summary>The field path of the first problem.</summary>
    public string Field => Errors[0].At.Field;

    /// <summary>The first problem's <c>file:line: field</c>.</summary>
    public override string? Subject => $"{File}:{Line}: {Field}";

    private static string Describe(IEnumerable<ManifestError> errors, out List<ManifestError> list)
    {
        list = errors.ToList();
        if (list.Count == 0)
            throw new ArgumentException("An InputFormatException needs at least one error.", nameof(errors));
        return string.Join(Environment.NewLine, list);
    }
}
