using Build.Engines;
using Promoter.Golden;
using Promoter.Images;
using Build.Flows;
using Build.Host;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Build.Settings;

namespace Build;

/// <summary>
/// The typed context every task reads: the repository, the run's settings (<see cref="BuildSettings"/>, declared once,
/// each family parsed when its task asks for it), and the registries this run uses. Arguments that are neither Cake
/// options nor declared settings fail the run here, before any task runs.
/// </summary>
public class BuildContext : FrostingContext
{
    /// <summary>Reads the repository root and the settings; rejects unknown arguments.</summary>
    /// <exception cref="CakeException">An argument names no declared setting.</exception>
    public BuildContext(ICakeContext context) : base(context)
    {
        RepositoryRoot = context.Environment.WorkingDirectory;
        Solution = RepositoryRoot.CombineWithFilePath("Promoter.slnx");
        var reader = new SettingReader(context.Arguments, context.Configuration, context.Environment.GetEnvironmentVariable, context.Log, BuildSettings.Conflicts);
        Settings = new BuildSettings(reader, RepositoryRoot.FullPath);
        Settings.RejectUnknownArguments();
        var artifacts = context.Environment.GetEnvironmentVariable("ARTIFACTS");
        Artifacts = string.IsNullOrWhiteSpace(artifacts) ? null : new DirectoryPath(artifacts).MakeAbsolute(context.Environment);
    }

    /// <summary>The repository root (the working directory the bootstrap starts in).</summary>
    public DirectoryPath RepositoryRoot { get; }

    /// <summary>The solution file that Restore, Compile and Test work on.</summary>
    public FilePath Solution { get; }

    /// <summary>The run's settings.</summary>
    public BuildSettings Settings { get; }

    /// <summary>The registries of this run (created on first use, stopped at teardown).</summary>
    public Registries Registries => _registries ??= Track(new Registries(Log, Settings.Registries));
    private Registries? _registries;

    /// <summary>The image engine of the run (the <c>engine</c> setting), chosen once.</summary>
    public IImageEngine Engine => _engine ??= Settings.EngineKind == ImageEngineKind.Docker
        ? new DockerImageEngine(this, Registries.Pool, RepositoryRoot.FullPath)
        : new OciImageEngine(Registries.Pool);
    private IImageEngine? _engine;

    /// <summary>The golden set loaded by LoadTarballs, for PushSrc and E2E.</summary>
    public LoadedGolden? Golden { get; set; }

    /// <summary>Where Prow collects artifacts (the <c>ARTIFACTS</c> variable); null when unset.</summary>
    public DirectoryPath? Artifacts { get; }

    private readonly List<IDisposable> _resources = [];

    /// <summary>Keeps <paramref name="resource"/> (a local registry, a temporary folder) until teardown.</summary>
    public T Track<T>(T resource) where T : IDisposable
    {
        _resources.Add(resource);
        Interruption.Track(resource);
        return resource;
    }

    /// <summary>Disposes every tracked resource, newest first; called by <see cref="BuildLifetime"/>.</summary>
    public void DisposeResources()
    {
        for (var i = _resources.Count - 1; i >= 0; i--)
        {
            Interruption.Release(_resources[i]);
            try { _resources[i].Dispose(); }
            catch (Exception exception) { Log.Warning("Teardown: {0}", exception.Message); }
        }
        _resources.Clear();
    }
}
