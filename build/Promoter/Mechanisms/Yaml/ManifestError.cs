namespace Promoter.Yaml;

/// <summary>One problem found in an input file (a promoter manifest, images.yaml, snapshot, test or image-set file).</summary>
/// <param name="At">The file, line and field the problem is about.</param>
/// <param name="Message">What is wrong and what was expected.</param>
public sealed record ManifestError(SourceLocation At, string Message)
{
    /// <summary><c>file:line: field: message</c> (the field part is left out for whole-document problems, the line for whole-file ones).</summary>
    public override string ToString() =>
        At.Field.Length == 0 ? $"{At}: {Message}" : $"{At}: {At.Field}: {Message}";
}
