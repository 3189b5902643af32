using Build.Host;
using Build.Settings;
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

/// <summary>The graph's context: two settings of its own, read with the build program's <see cref="SettingReader"/>.</summary>
public sealed class GraphContext : FrostingContext
{
    public static readonly Setting<bool> RunSkipper = new("run-skipper", "true|false", false, "false", "run the Skipper task", "Skipper", SettingParsers.Bool, isFlag: true);
    public static readonly Setting<string> Sample = new("sample", "TEXT", "default", "default", "a sample setting", "Settings", SettingParsers.Text);

    public GraphContext(ICakeContext context) : base(context)
    {
        Settings = new SettingReader(context.Arguments, context.Configuration, context.Environment.GetEnvironmentVariable, context.Log);
        Settings.RejectUnknown([RunSkipper, Sample]);
    }

    public SettingReader Settings { get; }
}

[TaskName("A")]
public sealed class ATask : FrostingTask<GraphContext>
{
    public override void Run(GraphContext context) => Journal.Add("A");
}

[TaskName("B")]
[IsDependentOn(typeof(ATask))]
public sealed class BTask : FrostingTask<GraphContext>
{
    public override void Run(GraphContext context) => Journal.Add("B");
}

[TaskName("Skipper")]
[IsDependentOn(typeof(BTask))]
public sealed class SkipperTask : FrostingTask<GraphContext>
{
    public override string SkippedMessage => "the criterion said no";
    public override bool ShouldRun(GraphContext context) => context.Settings.Get(GraphContext.RunSkipper);
    public override void Run(GraphContext context) => Journal.Add("Skipper");
}

[TaskName("C")]
[IsDependentOn(typeof(SkipperTask))]
[TaskDescription("The last of the chain.")]
public sealed class CTask : FrostingTask<GraphContext>
{
    public override void Run(GraphContext context) => Journal.Add("C");
}

[TaskName("Boom")]
[IsDependentOn(typeof(ATask))]
public sealed class BoomTask : FrostingTask<GraphContext>
{
    public override void Run(GraphContext context) => throw new InvalidOperationException("the boom task failed on purpose");
    public override void Finally(GraphContext context) => Journal.Add("Boom.Finally");
}

[TaskName("AfterBoom")]
[IsDependentOn(typeof(BoomTask))]
public sealed class AfterBoomTask : FrostingTask<GraphContext>
{
    public override void Run(GraphContext context) => Journal.Add("AfterBoom");
}

[TaskName("Settings")]
public sealed class SettingsTask : FrostingTask<GraphContext>
{
    public override void Run(GraphContext context) => Journal.Add("sample=" + context.Settings.Get(GraphContext.Sample));
}

[TaskName("Default")]
[IsDependentOn(typeof(CTask))]
public sealed class DefaultTestTask : FrostingTask<GraphContext>;
