namespace Build.Settings;

/// <summary>Restore, Compile and Test.</summary>
/// <param name="Configuration">The MSBuild configuration, e.g. <c>Release</c>.</param>
/// <param name="Rebuild">Run even when the inputs' fingerprint matches the last success.</param>
public sealed record CompileSettings(string Configuration, bool Rebuild);
