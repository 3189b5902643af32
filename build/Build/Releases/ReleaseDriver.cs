using Build.Settings;
using Build.Tools.Git;
using Cake.Core;
using Cake.Core.Diagnostics;
using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Promoter.Registry;
using Promoter.Releases;

namespace Build.Releases;

/// <summary>
/// The Cake side of PromoteRelease: reads the settings, picks the engine, starts local registries when none are
/// configured, runs <see cref="ReleasePipeline"/>, and tags the commit (LibGit2Sharp, Tools/Git). Settings:
/// <c>--confirm</c> (act; a dry run otherwise), <c>--staging-registry=host/prefix</c>,
/// <c>--production-registries=a,b</c>, <c>--release-images=FILE</c> (default <c>images/release/release.yaml</c>),
/// <c>--release-manifest=FILE</c> (default <c>manifests/release/promoter-manifest.yaml</c>),
/// <c>--git-remote=NAME</c> (default <c>origin</c>), and the gate's <c>--since</c>, <c>--allow-prerelease</c>.
/// </summary>
public static class ReleaseDriver
{
    /// <summary>The path prefix of a staging registry the pipeline starts itself.</summary>
    public const string LocalStagingPrefix = "cip-staging";

    /// <summary>The path prefix of production registries the pipeline starts itself.</summary>
    public const string LocalProductionPrefix = "cip-prod";

    /// <summary>Runs the release step <paramref name="gate"/> asks for.</summary>
    /// <exception cref="CakeException">The gate refused, or a step failed (one line naming the step and the cause).</exception>
    public static void Run(BuildContext context, ReleaseGate gate)
    {
        if (gate.Mode == ReleaseMode.Fail) throw new CakeException(gate.Line);
        if (gate.Mode == ReleaseMode.Skip) return;
        var decision = gate.Decision!;
        var version = decision.Version ?? throw new CakeException("PromoteRelease: VERSION at the head does not parse.");
        var settings = context.Settings.Release;
        var confirm = settings.Confirm;
        var images = LoadImages(context, settings);
        var engine = context.Engine;
        var pipeline = new ReleasePipeline(engine, context.Registries.Pool, line => context.Log.Information(line));
        var output = (context.Artifacts ?? context.RepositoryRoot.Combine(".build")).Combine("release-images").FullPath;
        var manifest = settings.ManifestFile;

        try
        {
            if (gate.Mode == ReleaseMode.BuildOnly)
            {
                var request = new ReleaseRequest(version, decision.Range.HeadSha, images, "(none)", ["(none)"], manifest, output);
                if (!confirm)
                {
                    foreach (var image in images.Images) context.Log.Information("would build {0}, tagged {1}; never pushed in this job", engine.DescribeBuild(ReleaseBuilds.Spec(image, version.Tag)), version.Tag);
                    context.Log.Information("dry run: nothing was built; pass --confirm to build");
                    return;
                }
                var built = pipeline.BuildAsync(request).GetAwaiter().GetResult();
                context.Log.Information("built {0} release image(s) under {1}; nothing was pushed ({2})", built.Count, output, decision.PushImages.Reason);
                return;
            }

            var stagingSetting = settings.StagingRegistry;
            var productionSetting = settings.ProductionRegistries;
            if (!confirm)
            {
                var staging = stagingSetting ?? $"<local registry>/{LocalStagingPrefix}";
                var production = productionSetting ?? [$"<local registry 1>/{LocalProductionPrefix}", $"<local registry 2>/{LocalProductionPrefix}"];
                foreach (var line in pipeline.Describe(new ReleaseRequest(version, decision.Range.HeadSha, images, staging, production, manifest, output)))
                    context.Log.Information(line);
                context.Log.Information(DecideTagPush(context, settings.GitRemote, productionSetting is not null, dryRun: true, version.Tag).Line);
                context.Log.Information("dry run: nothing was built, pushed, written, promoted or tagged; pass --confirm to release");
                return;
            }

            var stagingRegistry = stagingSetting ?? Local(context, LocalStagingPrefix);
            var productionRegistries = productionSetting ?? [Local(context, LocalProductionPrefix), Local(context, LocalProductionPrefix)];
            if (productionSetting is null)
                context.Log.Warning("no --production-registries: releasing into local registries of this run, which stop when it ends");
            var release = new ReleaseRequest(version, decision.Range.HeadSha, images, stagingRegistry, productionRegistries, manifest, output);
            pipeline.ReleaseAsync(release).GetAwaiter().GetResult();

            context.GitTag(context.RepositoryRoot, version.Tag, decision.Range.HeadSha);
            context.Log.Information("tagged {0} {1}", decision.Range.HeadSha, version.Tag);
            var (push, pushLine) = DecideTagPush(context, settings.GitRemote, productionSetting is not null, dryRun: false, version.Tag);
            if (push) context.GitPushRef(context.RepositoryRoot, settings.GitRemote, version.Tag);
            context.Log.Information(pushLine);
        }
        catch (Exception exception) when (exception is ReleaseBuildException or RegistryException or ManifestException or PromotionRefusedException
                                              or InvalidOperationException or ArgumentException or FormatException
                                              or LibGit2Sharp.LibGit2SharpException)
        {
            throw new CakeException($"PromoteRelease {version.Tag} failed: {exception.Message}");
        }
    }

    private static ReleaseImageSet LoadImages(BuildContext context, ReleaseSettings settings)
    {
        try
        {
            var set = ReleaseImageSet.Load(settings.ImagesFile);
            set.RequireEngine(context.Settings.EngineKind == ImageEngineKind.Docker ? "docker" : "oci");
            return set;
        }
        catch (ReleaseDefinitionException exception)
        {
            throw new CakeException($"PromoteRelease: {exception.Message}");
        }
    }

    private static string Local(BuildContext context, string prefix)
    {
        var endpoint = context.Registries.StartLocal();
        context.Registries.Pool.Alias(endpoint.Address, endpoint);
        return $"{endpoint.Address}/{prefix}";
    }

    /// <summary>Whether the tag is pushed: only to a configured remote, and only when production is real (configured).</summary>
    private static (bool Push, string Line) DecideTagPush(BuildContext context, string remote, bool productionConfigured, bool dryRun, string tag)
    {
        if (!context.GitRemotes(context.RepositoryRoot).Any(r => r.Name == remote))
            return (false, $"no git remote '{remote}' is configured: tag {tag} stays in this clone");
        if (!productionConfigured)
            return (false, $"tag {tag} is not pushed to '{remote}': the production registries are local registries of this run");
        return (true, dryRun ? $"would push tag {tag} to '{remote}'" : $"pushed tag {tag} to '{remote}'");
    }
}
