namespace Build.Settings;

/// <summary>The snapshot formats of <c>--output</c> (kpromo's names).</summary>
public enum SnapshotFormat
{
    /// <summary>kpromo's YAML: images, each with digest to tags.</summary>
    Yaml,

    /// <summary>kpromo's CSV: one line per tag, <c>image@digest,image:tag</c>, or <c>image@digest,-</c> for a tagless digest.</summary>
    Csv,
}
