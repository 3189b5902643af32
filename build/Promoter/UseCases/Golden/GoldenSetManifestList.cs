namespace Promoter.Golden;

/// <summary>A manifest list of a golden set.</summary>
/// <param name="Repository">Repository path of the list (the same as its images').</param>
/// <param name="Tag">The tag of the list.</param>
/// <param name="Entries">The entries, in list order.</param>
/// <param name="Line">Line of the list in the YAML file.</param>
public sealed record GoldenSetManifestList(string Repository, string Tag, IReadOnlyList<GoldenSetListEntry> Entries, int Line);
