using NuGet.Versioning;

namespace Promoter.Releases;

/// <summary>
/// A release version as the <c>VERSION</c> file at the repository root holds it: one line of strict
/// Semantic Versioning 2.0.0 (<c>MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]</c>, https://semver.org/spec/v2.0.0.html),
/// optionally prefixed by a lower-case <c>v</c>. Parsing and ordering are NuGet.Versioning's
/// <see cref="SemanticVersion"/> (build metadata is ignored when comparing, as SemVer requires).
/// The git tag of a release is always <c>v</c> followed by the normalized version.
/// </summary>
public sealed class ReleaseVersion : IComparable<ReleaseVersion>, IEquatable<ReleaseVersion>
{
    /// <summary>What a valid VERSION text looks like, for error messages.</summary>
    public const string ExpectedForm = "MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD] (SemVer 2.0.0), optionally prefixed by 'v'";

    private ReleaseVersion(SemanticVersion version) => Version = version;

    /// <summary>The parsed version.</summary>
    public SemanticVersion Version { get; }

    /// <summary>True when the version has a pre-release label, e.g. <c>1.2.0-rc.1</c>.</summary>
    public bool IsPrerelease => Version.IsPrerelease;

    /// <summary>The normalized version without build metadata, e.g. <c>1.2.0-rc.1</c>.</summary>
    public string Normalized => Version.ToNormalizedString();

    /// <summary>The git tag of this release: <c>v</c> + <see cref="Normalized"/>, e.g. <c>v1.2.0</c>.</summary>
    public string Tag => "v" + Normalized;

    /// <summary>
    /// Parses the content of a VERSION file: surrounding whitespace (the trailing newline) is ignored, the rest
    /// must be a single SemVer 2.0.0 version with an optional leading <c>v</c>.
    /// </summary>
    /// <param name="text">The file content.</param>
    /// <param name="allowPrerelease">When false a pre-release version is rejected.</param>
    /// <param name="version">The version, or null when parsing fails.</param>
    /// <param name="error">A one-line reason when parsing fails (quoting the text), otherwise null.</param>
    /// <returns>True when <paramref name="text"/> is an acceptable version.</returns>
    public static bool TryParse(string? text, bool allowPrerelease, out ReleaseVersion? version, out string? error)
    {
        version = null;
        error = null;
        if (text is null)
        {
            error = "there is no version text";
            return false;
        }

        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            error = $"the version text is empty; expected {ExpectedForm}";
            return false;
        }
        if (trimmed.IndexOfAny(['\n', '\r']) >= 0)
        {
            error = $"'{Shorten(trimmed)}' spans several lines; expected one line {ExpectedForm}";
            return false;
        }

        var body = trimmed.StartsWith('v') ? trimmed[1..] : trimmed;
        if (!SemanticVersion.TryParse(body, out var parsed))
        {
            error = $"'{Shorten(trimmed)}' is not a valid version; expected {ExpectedForm}";
            return false;
        }

        var candidate = new ReleaseVersion(parsed);
        if (candidate.IsPrerelease && !allowPrerelease)
        {
            error = $"{candidate.Normalized} is a pre-release; pre-releases are refused unless explicitly allowed";
            return false;
        }

        version = candidate;
        return true;
    }

    /// <summary>Parses as <see cref="TryParse"/> does, throwing on failure.</summary>
    /// <param name="text">The file content.</param>
    /// <param name="allowPrerelease">When false a pre-release version is rejected.</param>
    /// <param name="source">Where the text came from, for the message, e.g. <c>VERSION at 1a2b3c4</c>.</param>
    /// <exception cref="FormatException">The text is not an acceptable version; the message names <paramref name="source"/>.</exception>
    public static ReleaseVersion Parse(string text, bool allowPrerelease = false, string source = "VERSION") =>
        TryParse(text, allowPrerelease, out var version, out var error)
            ? version!
            : throw new FormatException($"{source}: {error}.");

    /// <summary>SemVer precedence: negative, zero or positive as this is lower, equal or higher.</summary>
    public int CompareTo(ReleaseVersion? other) =>
        other is null ? 1 : VersionComparer.VersionRelease.Compare(Version, other.Version);

    /// <summary>Equal when SemVer precedence is equal (build metadata ignored).</summary>
    public bool Equals(ReleaseVersion? other) => other is not null && CompareTo(other) == 0;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ReleaseVersion);

    /// <inheritdoc />
    public override int GetHashCode() => VersionComparer.VersionRelease.GetHashCode(Version);

    /// <summary>The normalized version, e.g. <c>1.2.0</c>.</summary>
    public override string ToString() => Normalized;

    /// <summary>True when <paramref name="left"/> has higher precedence than <paramref name="right"/>.</summary>
    public static bool operator >(ReleaseVersion left, ReleaseVersion right) => left.CompareTo(right) > 0;

    /// <summary>True when <paramref name="left"/> has lower precedence than <paramref name="right"/>.</summary>
    public static bool operator <(ReleaseVersion left, ReleaseVersion right) => left.CompareTo(right) < 0;

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
