using System.Text.RegularExpressions;

namespace Promoter.Oci;

/// <summary>
/// The repository-name grammar of the OCI distribution spec (<c>spec.md</c>, "Pulling manifests": <c>&lt;name&gt;</c>):
/// path components <c>[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*</c> joined by '/'; with the registry host in front, at most
/// 255 characters (distribution's <c>NameTotalLengthMax</c>). So no upper case, no <c>..</c>, <c>//</c>, <c>?</c>, and no
/// leading or trailing separator.
/// </summary>
public static partial class RepositoryName
{
    /// <summary>The longest <c>host/repository</c> a registry accepts.</summary>
    public const int MaxTotalLength = 255;

    /// <summary>Why <paramref name="path"/> is not a repository name, or null when it is one.</summary>
    public static string? Problem(string? path)
    {
        if (string.IsNullOrEmpty(path)) return "it is empty";
        if (path.Length > MaxTotalLength) return $"it is {path.Length} characters long (at most {MaxTotalLength})";
        if (Pattern().IsMatch(path)) return null;
        if (path.Any(char.IsAsciiLetterUpper)) return "it holds upper-case letters (repository names are lower case)";
        if (path.Contains("//") || path.StartsWith('/') || path.EndsWith('/')) return "it has an empty path component";
        return "expected lower-case components [a-z0-9]+ joined by '.', '_', '__' or '-', separated by '/'";
    }

    /// <summary>Checks <paramref name="path"/>.</summary>
    /// <exception cref="FormatException">Not a repository name; the message quotes it and says why.</exception>
    public static string Check(string path) =>
        Problem(path) is { } problem ? throw new FormatException($"'{path}' is not a repository name: {problem}.") : path;

    [GeneratedRegex("^[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex Pattern();
}
