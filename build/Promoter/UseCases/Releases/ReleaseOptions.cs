namespace Promoter.Releases;

/// <summary>Options of the release gates.</summary>
/// <param name="AllowPrerelease">When true a pre-release version (e.g. <c>1.2.0-rc.1</c>) may be released.</param>
public sealed record ReleaseOptions(bool AllowPrerelease = false);
