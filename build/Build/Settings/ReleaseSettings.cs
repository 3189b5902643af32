namespace Build.Settings;

/// <summary>PromoteRelease.</summary>
/// <param name="Confirm">Act (else a dry run).</param>
/// <param name="Since">Diff this revision to the head instead of the job's range, or null.</param>
/// <param name="AllowPrerelease">A pre-release VERSION may release.</param>
/// <param name="StagingRegistry">Staging <c>host/prefix</c>, or null for a local registry of the run.</param>
/// <param name="ProductionRegistries">Production registries, or null for two local registries of the run.</param>
/// <param name="ImagesFile">The release image definitions (absolute).</param>
/// <param name="ManifestFile">The production promoter manifest to write (absolute).</param>
/// <param name="GitRemote">Where the tag is pushed.</param>
public sealed record ReleaseSettings(bool Confirm, string? Since, bool AllowPrerelease, string? StagingRegistry,
    IReadOnlyList<string>? ProductionRegistries, string ImagesFile, string ManifestFile, string GitRemote)
{
    /// <summary><c>--sign</c>, <c>--signing-key</c> and its passphrase flags: sign each release image in each production registry.</summary>
    public Promoter.Promotion.Engine.SigningArguments Signing { get; init; } = new();
}
