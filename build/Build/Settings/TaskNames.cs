namespace Build.Settings;

/// <summary>
/// The tasks' names as a command line gives them (<c>--target NAME</c>), declared once beside the settings: the task classes
/// carry them in their <c>[TaskName]</c>, and the Prow and Kubernetes jobs build their commands from them.
/// </summary>
public static class TaskNames
{
    /// <summary><c>Backfill</c>.</summary>
    public const string Backfill = "Backfill";

    /// <summary><c>Compile</c>.</summary>
    public const string Compile = "Compile";

    /// <summary><c>ContainerizeGolden</c>.</summary>
    public const string ContainerizeGolden = "ContainerizeGolden";

    /// <summary><c>Default</c>.</summary>
    public const string Default = "Default";

    /// <summary><c>E2E</c>.</summary>
    public const string E2E = "E2E";

    /// <summary><c>LoadTarballs</c>.</summary>
    public const string LoadTarballs = "LoadTarballs";

    /// <summary><c>Pack</c>.</summary>
    public const string Pack = "Pack";

    /// <summary><c>PromoteOnCluster</c>.</summary>
    public const string PromoteOnCluster = "PromoteOnCluster";

    /// <summary><c>Promote</c>.</summary>
    public const string Promote = "Promote";

    /// <summary><c>PromoteRelease</c>.</summary>
    public const string PromoteRelease = "PromoteRelease";

    /// <summary><c>PromotionPR</c>.</summary>
    public const string PromotionPR = "PromotionPR";

    /// <summary><c>PurgeDest</c>.</summary>
    public const string PurgeDest = "PurgeDest";

    /// <summary><c>PushSrc</c>.</summary>
    public const string PushSrc = "PushSrc";

    /// <summary><c>RenderJobs</c>.</summary>
    public const string RenderJobs = "RenderJobs";

    /// <summary><c>Restore</c>.</summary>
    public const string Restore = "Restore";

    /// <summary><c>SignatureCheck</c>.</summary>
    public const string SignatureCheck = "SignatureCheck";

    /// <summary><c>Test</c>.</summary>
    public const string Test = "Test";
}
