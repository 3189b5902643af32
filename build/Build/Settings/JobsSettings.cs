namespace Build.Settings;

/// <summary>RenderJobs.</summary>
/// <param name="Folder">The folder the manifests are written to or verified in (absolute).</param>
/// <param name="Verify">Only compare the folder with a fresh rendering.</param>
public sealed record JobsSettings(string Folder, bool Verify);
