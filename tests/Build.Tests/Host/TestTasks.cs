using Build.Host;
using Cake.Core;

namespace Build.Tests.Host.Graph;

// A small task graph used only by HostTests (added with AddAssembly; this assembly is never the entry one).
// A -> B -> C; Skipper has a false criterion; Boom throws; Settings records where a setting came from.

/// <summary>Records which test tasks ran, in order.</summary>
public static class Journal
{
    private static readonly List<string> Entries = [];
    public static void Add(string entry) { lock (Entries) Entries.Add(entry); }
    public static IReadOnlyList<string> Read() { lock (Entries) return Entries.ToList(); }
    public static void Clear() { lock (Entries) Entries.Clear(); }
}

[TaskName("A")]
public sealed class ATask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) => Journal.Add("A");
}

[TaskName("B")]
[IsDependentOn(typeof(ATask))]
public sealed class BTask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) => Journal.Add("B");
}

[TaskName("Skipper")]
[IsDependentOn(typeof(BTask))]
public sealed class SkipperTask : FrostingTask<BuildContext>
{
    public override string SkippedMessage => "the criterion said no";
    public override bool ShouldRun(BuildContext context) => context.Flag("run-skipper");
    public override void Run(BuildContext context) => Journal.Add("Skipper");
}

[TaskName("C")]
[IsDependentOn(typeof(SkipperTask))]
[TaskDescription("The last of the chain.")]
public sealed class CTask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) => Journal.Add("C");
}

[TaskName("Boom")]
[IsDependentOn(typeof(ATask))]
public sealed class BoomTask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) => throw new InvalidOperationException("the boom task failed on purpose");
    public override void Finally(BuildContext context) => Journal.Add("Boom.Finally");
}

[TaskName("AfterBoom")]
[IsDependentOn(typeof(BoomTask))]
public sealed class AfterBoomTask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) => Journal.Add("AfterBoom");
}

[TaskName("Settings")]
public sealed class SettingsTask : FrostingTask<BuildContext>
{
    public override void Run(BuildContext context) => Journal.Add("sample=" + context.Setting("sample", "default"));
}

[TaskName("Default")]
[IsDependentOn(typeof(CTask))]
public sealed class DefaultTestTask : FrostingTask<BuildContext>;
