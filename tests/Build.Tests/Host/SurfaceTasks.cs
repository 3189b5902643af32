using Build.Host;
using Cake.Core;
using Cake.Core.IO;
using Cake.Core.Packaging;

namespace Build.Tests.Host.Surface;

// Tasks and hooks for HostSurfaceTests. They are internal on purpose: the host scans only exported types, so
// none of these joins the graph HostTests builds from this assembly. Each test registers the ones it needs as
// IFrostingTask services (or with the Use* methods) on a bare host.

/// <summary>Records what ran, in order.</summary>
internal static class HookJournal
{
    private static readonly List<string> Entries = [];
    public static void Add(string entry) { lock (Entries) Entries.Add(entry); }
    public static IReadOnlyList<string> Read() { lock (Entries) return Entries.ToList(); }
    public static void Clear() { lock (Entries) Entries.Clear(); }
}

/// <summary>A context type the default host context is not.</summary>
internal sealed class OtherContext(ICakeContext context) : FrostingContext(context);

[TaskName("One")]
internal sealed class OneTask : FrostingTask
{
    public override void Run(ICakeContext context) => HookJournal.Add("One");
}

[TaskName("Two")]
[IsDependentOn(typeof(OneTask))]
internal sealed class TwoTask : FrostingTask
{
    public override void Run(ICakeContext context) => HookJournal.Add("Two");
}

[TaskName("OtherOnly")]
internal sealed class OtherContextTask : FrostingTask<OtherContext>
{
    public override void Run(OtherContext context) => HookJournal.Add("OtherOnly");
}

[TaskName("DependsOnString")]
[IsDependentOn(typeof(string))]
internal sealed class DependsOnNonTask : FrostingTask;

[TaskName("DependeeOfUri")]
[IsDependeeOf(typeof(Uri))]
internal sealed class DependeeOfNonTask : FrostingTask;

/// <summary>Records where the tool locator finds <c>fake-tool</c> when the task runs.</summary>
[TaskName("UseTool")]
internal sealed class UseToolTask : FrostingTask
{
    public override void Run(ICakeContext context) =>
        HookJournal.Add("resolved " + (context.Tools.Resolve("fake-tool")?.FullPath ?? "nothing"));
}

internal sealed class RecordingLifetime : FrostingLifetime<ICakeContext>
{
    public override void Setup(ICakeContext context, ISetupContext info) => HookJournal.Add("lifetime.setup");
    public override void Teardown(ICakeContext context, ITeardownContext info) => HookJournal.Add("lifetime.teardown");
}

internal sealed class RecordingSetup : FrostingSetup<FrostingContext>
{
    public override void Setup(FrostingContext context, ISetupContext info) =>
        HookJournal.Add("setup for " + info.TargetTask.Name);
}

internal sealed class RecordingTeardown : FrostingTeardown<ICakeContext>
{
    public override void Teardown(ICakeContext context, ITeardownContext info) =>
        HookJournal.Add("teardown" + (info.Successful ? "" : " after failure"));
}

internal sealed class FailingSetup : FrostingSetup<ICakeContext>
{
    public override void Setup(ICakeContext context, ISetupContext info) => throw new InvalidOperationException("setup failed on purpose");
}

internal sealed class FailingTeardown : FrostingTeardown<ICakeContext>
{
    public override void Teardown(ICakeContext context, ITeardownContext info) => throw new InvalidOperationException("teardown failed on purpose");
}

internal sealed class RecordingTaskLifetime : FrostingTaskLifetime<ICakeContext>
{
    public override void Setup(ICakeContext context, ITaskSetupContext info) => HookJournal.Add("taskLifetime.setup " + info.Task.Name);
    public override void Teardown(ICakeContext context, ITaskTeardownContext info) => HookJournal.Add("taskLifetime.teardown " + info.Task.Name);
}

internal sealed class RecordingTaskSetup : FrostingTaskSetup<ICakeContext>
{
    public override void Setup(ICakeContext context, ITaskSetupContext info) => HookJournal.Add("taskSetup " + info.Task.Name);
}

internal sealed class RecordingTaskTeardown : FrostingTaskTeardown<ICakeContext>
{
    public override void Teardown(ICakeContext context, ITaskTeardownContext info) => HookJournal.Add("taskTeardown " + info.Task.Name);
}

internal sealed class FailingTaskTeardown : FrostingTaskTeardown<ICakeContext>
{
    public override void Teardown(ICakeContext context, ITaskTeardownContext info) => throw new InvalidOperationException("task teardown failed on purpose");
}

internal sealed class OtherContextSetup : FrostingSetup<OtherContext>
{
    public override void Setup(OtherContext context, ISetupContext info) => HookJournal.Add("other setup");
}

/// <summary>
/// A package installer for the <c>nuget</c> scheme that downloads nothing: it records what Cake's tool
/// installer hands it and writes one file, <c>fake-tool</c>, into the directory it was given.
/// </summary>
internal sealed class RecordingInstaller(IFileSystem fileSystem) : IPackageInstaller
{
    public bool CanInstall(PackageReference package, PackageType type) => package.Scheme == "nuget";

    public IReadOnlyCollection<IFile> Install(PackageReference package, PackageType type, DirectoryPath path)
    {
        var version = package.Parameters.TryGetValue("version", out var values) ? string.Join(",", values) : "none";
        HookJournal.Add($"install {package.Package} version={version} type={type} into {path.FullPath}");
        var directory = path.Combine(package.Package);
        fileSystem.GetDirectory(directory).Create();
        var file = fileSystem.GetFile(directory.CombineWithFilePath("fake-tool"));
        using (var stream = file.OpenWrite()) stream.WriteByte((byte)'#');
        return [file];
    }
}
