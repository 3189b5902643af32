namespace Build.Host;

/// <summary>A tool given with <c>InstallTool</c>, installed before the targets run.</summary>
internal sealed record ToolToInstall(Cake.Core.Packaging.PackageReference Package);
