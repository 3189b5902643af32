namespace Promoter.Golden;

/// <summary>One file of a <see cref="GoldenSetBuildLayer"/>.</summary>
/// <param name="Path">Path inside the image, e.g. <c>golden/foo/linux_s390x/1.0-linux_s390x</c> (relative, '/'-separated).</param>
/// <param name="Source">The source file as written in the YAML, relative to the golden set file's folder, e.g. <c>src/foo/linux_s390x/1.0-linux_s390x</c>.</param>
/// <param name="SourcePath">Full path of the source file.</param>
/// <param name="Mode">Permission bits (0 to 07777 octal); default 0555.</param>
/// <param name="Line">Line of the file entry in the YAML file.</param>
public sealed record GoldenSetBuildFile(string Path, string Source, string SourcePath, int Mode, int Line);
