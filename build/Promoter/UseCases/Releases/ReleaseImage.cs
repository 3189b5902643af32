using Promoter.Oci;

namespace Promoter.Releases;

/// <summary>One release image.</summary>
/// <param name="Repository">The repository below the registry prefix, e.g. <c>promoter</c>; unique in the file.</param>
/// <param name="Platform">The one platform the image is built for.</param>
/// <param name="Oci">How the <c>oci</c> engine builds it, or null when only docker can.</param>
/// <param name="Docker">How the <c>docker</c> engine builds it, or null when only the oci engine can.</param>
/// <param name="Line">The line of the entry in the file.</param>
public sealed record ReleaseImage(string Repository, Platform Platform, OciReleaseBuild? Oci, DockerReleaseBuild? Docker, int Line);
