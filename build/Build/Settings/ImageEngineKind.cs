namespace Build.Settings;

/// <summary>The image engine of a run (<c>--engine</c>).</summary>
public enum ImageEngineKind
{
    /// <summary>Daemonless: archives read and pushed in-process, deterministic manifests.</summary>
    Oci,

    /// <summary>KEP-2818's flow through the docker CLI (<c>docker load/tag/push/manifest</c>, <c>docker build</c>).</summary>
    Docker,
}
