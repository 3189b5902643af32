using Promoter.Oci;

namespace Promoter.Golden;

/// <summary>One image of a golden set.</summary>
/// <param name="Name">Unique name, used by manifest list entries.</param>
/// <param name="Archive">Path of the docker save archive, relative to the archive root, as written in the file.</param>
/// <param name="ArchivePath">Full path of the archive (archive root + <paramref name="Archive"/>).</param>
/// <param name="Repository">Repository path to push to, e.g. <c>golden-foo/foo</c> (no registry).</param>
/// <param name="Tags">Tags to leave on the pushed manifest (empty when <paramref name="Tagless"/>).</param>
/// <param name="Platform">The platform the image config declares (checked when the archive is opened).</param>
/// <param name="Tagless">True when the image ends in the registry by digest only, with no tag.</param>
/// <param name="Line">Line of the entry in the YAML file.</param>
/// <param name="Build">How the archive is built from source, or null for an archive that is only committed.</param>
public sealed record GoldenSetImage(string Name, string Archive, string ArchivePath, string Repository,
    IReadOnlyList<string> Tags, Platform Platform, bool Tagless, int Line, GoldenSetBuild? Build = null);
