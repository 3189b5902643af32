using Build.Host;                       // with Cake.Frosting: using Cake.Frosting;
using Cake.Core;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.ImagePromoter;
using Promoter.Promotion;
using Promoter.Registry;

// Pushes the golden set into one local registry, promotes it into another with PromoteImages, checks it with skopeo.
return CakeHost.Create()
    .UseContext<SampleContext>()
    .UseLifetime<SampleLifetime>()
    .Run(args);

/// <summary>The two registries of the run and what the tasks hand on.</summary>
public sealed class SampleContext(ICakeContext context) : FrostingContext(context)
{
    public FilePath GoldenSet { get; } = new FilePath("images/golden/golden.yaml").MakeAbsolute(context.Environment);
    public List<LocalRegistry> Registries { get; } = [];
    public string Source => $"{Registries[0].Host}/staging";
    public string Destination => $"{Registries[1].Host}/prod";
    public Snapshot? Staged { get; set; }
}

/// <summary>Starts two CNCF Distribution registries on loopback; stops them at the end.</summary>
public sealed class SampleLifetime : FrostingLifetime<SampleContext>
{
    public override void Setup(SampleContext context, ISetupContext info)
    {
        context.Registries.Add(LocalRegistry.StartAsync().GetAwaiter().GetResult());
        context.Registries.Add(LocalRegistry.StartAsync().GetAwaiter().GetResult());
        context.Log.Information("source {0}, destination {1}", context.Source, context.Destination);
    }

    public override void Teardown(SampleContext context, ITeardownContext info) => context.Registries.ForEach(r => r.Dispose());
}

[TaskName("Push")]
public sealed class PushTask : FrostingTask<SampleContext>
{
    public override void Run(SampleContext context)
    {
        context.PushGoldenImages(context.GoldenSet, context.Source);
        var settings = new SnapshotRegistrySettings();
        settings.RegistryStorage[context.Registries[0].Host] = context.Registries[0].StorageRoot; // tagless digests too
        context.Staged = context.SnapshotRegistry(context.Source, settings);
    }
}

[TaskName("Promote")]
[IsDependentOn(typeof(PushTask))]
public sealed class PromoteTask : FrostingTask<SampleContext>
{
    public override void Run(SampleContext context)
    {
        var manifest = new FilePath(System.IO.Path.Combine(context.Registries[0].Folder, "promoter-manifest.yaml"));
        File.WriteAllText(manifest.FullPath,
            $"registries:\n- name: {context.Source}\n  src: true\n- name: {context.Destination}\nimages:\n{context.Staged!.ToText()}");
        var result = context.PromoteImages(manifest, new PromoteImagesSettings { Confirm = true, Threads = 4 });
        if (result.Promoted == 0) throw new CakeException("nothing was promoted");
        var again = context.PromoteImages(manifest, new PromoteImagesSettings { Confirm = true });
        if (again.ToPromote != 0) throw new CakeException($"a second promotion planned writes: {again}");
    }
}

[TaskName("Check")]
[IsDependentOn(typeof(PromoteTask))]
public sealed class CheckTask : FrostingTask<SampleContext>
{
    public override void Run(SampleContext context)
    {
        var checkedReferences = 0;
        foreach (var image in context.Staged!.Images)
            foreach (var entry in image.Dmap)
                foreach (var reference in entry.Tags.Select(t => $"{image.Name}:{t}").Append($"{image.Name}@{entry.Digest}"))
                {
                    var served = Skopeo(context, $"{context.Destination}/{reference}");
                    if (served != entry.Digest) throw new CakeException($"{context.Destination}/{reference} is {served}, not {entry.Digest}");
                    context.Log.Information("skopeo: {0}/{1} is {2}", context.Destination, reference, served);
                    checkedReferences++;
                }
        context.Log.Information("checked {0} promoted reference(s) with skopeo", checkedReferences);
    }

    private static string Skopeo(ICakeContext context, string reference)
    {
        var settings = new ProcessSettings
        {
            Arguments = new ProcessArgumentBuilder().Append("inspect").Append("--tls-verify=false").Append("--format").Append("{{.Digest}}")
                .Append($"docker://{reference}"),
            RedirectStandardOutput = true,
        };
        using var process = context.ProcessRunner.Start("skopeo", settings) ?? throw new CakeException("skopeo did not start");
        process.WaitForExit();
        var output = string.Concat(process.GetStandardOutput()).Trim();
        return process.GetExitCode() == 0 ? output : throw new CakeException($"skopeo inspect {reference} failed with exit code {process.GetExitCode()}");
    }
}

[TaskName("Default")]
[IsDependentOn(typeof(CheckTask))]
public sealed class DefaultTask : FrostingTask<SampleContext>;
