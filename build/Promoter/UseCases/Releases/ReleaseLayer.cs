namespace Promoter.Releases;

/// <summary>One layer of a daemonless (<c>oci</c> engine) release build: a folder or file copied into the image.</summary>
/// <param name="Source">The source as written, relative to the definition file's folder.</param>
/// <param name="SourcePath">Full path of the source folder or file.</param>
/// <param name="Target">The folder in the image it lands in ('/'-separated, no leading '/'; empty for the root).
/// A folder's content lands in <c>Target</c>; a file lands as <c>Target/&lt;file name&gt;</c>.</param>
public sealed record ReleaseLayer(string Source, string SourcePath, string Target);
