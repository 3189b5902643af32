using Promoter;
using Promoter.Images;
using Build.Settings;
using Build.Tools.Git;
using Cake.Core;
using Cake.Core.Diagnostics;
using Promoter.Promotion.Engine;
using Promoter.Releases;
using Promoter.Yaml;

namespace Build.Flows;

/// <summary>
/// The Cake side of PromoteRelease: reads the settings, picks the engine, starts local registries when none are
/// configured, runs <see cref="ReleasePipeline"/>, and tags the commit (LibGit2Sharp, Tools/Git). Settings:
/// <c>--confirm</c> (act; a dry run otherwise), <c>--staging-registry=host/prefix</c>,
/// <c>--production-registries=a,b</c>, <c>--release-images=FILE</c> (default <c>images/release/release.yaml</c>),
/// <c>--release-manifest=FILE</c> (default <c>manifests/release/promoter-manifest.yaml</c>),
/// <c>--git-remote=NAME</c> (default <c>origin</c>), and the gate's <c>--since</c>, <c>--allow-prerelease</c>.
/// </summary>
/// <param name="settings">The release settings.</param>
/// <param name="engine">The run's image engine.</param>
/// <param name="registries">The run's registries (local ones are started here when none are configured).</param>
/// <param name="cake">Logs and runs the git aliases.</param>
/// <param name="repositoryRoot">The repository (git) and where <c>.build/release-images</c> goes without ARTIFACTS.</param>
/// <param name="artifacts">Prow's <c>ARTIFACTS</c> folder, or null.</param>
public sealed class ReleaseFlow(ReleaseSettings settings, IImageEngine engine, Registries registries, ICakeContext cake,
    Cake.Core.IO.DirectoryPath repositoryRoot, Cake.Core.IO.DirectoryPath? artifacts)
{
    /// <summary>The path prefix of a staging registry the pipeline starts itself.</summary>
    public const string LocalStagingPrefix = "cip-staging";

    /// <summary>The path prefix of production registries the pipeline starts itself.</summary>
    public const string LocalProductionPrefix = "cip-prod";

    /// <summary>Runs the release step <paramref name="gate"/> asks for.</summary>
    /// <exception cref="CakeException">The gate refused, or a step failed (one line naming the step and the cause).</exception>
    public void Run(ReleaseGate gate)
    {
        if (gate.Mode == ReleaseMode.Fail) throw new CakeException(gate.Line);
        if (gate.Mode == ReleaseMode.Skip) return;
        var decision = gate.Decision!;
        var version = decision.Version ?? throw new CakeException("PromoteRelease: VERSION at the head does not parse.");
                var confirm = settings.Confirm;
        var images = LoadImages();
                var pipeline = new ReleasePipeline(engine, registries.Pool, line => cake.Log.Information(line));
        var output = (artifacts ?? repositoryRoot.Combine(".build")).Combine("release-images").FullPath;
        var manifest = settings.ManifestFile;

        try
        {
            if (gate.Mode == ReleaseMode.BuildOnly)
            {
                var request = new ReleaseRequest(version, decision.Range.HeadSha, images, "(none)", ["(none)"], manifest, output);
                if (!confirm)
                {
                    foreach (var image in images.Images) cake.Log.Information("would build {0}, tagged {1}; never pushed in this job", engine.DescribeBuild(ReleaseBuilds.Spec(image, version.Tag)), version.Tag);
                    cake.Log.Information("dry run: nothing was built; pass --confirm to build");
                    return;
                }
                var built = pipeline.BuildAsync(request).GetAwaiter().GetResult();
                cake.Log.Information("built {0} release image(s) under {1}; nothing was pushed ({2})", built.Count, output, decision.PushImages.Reason);
                return;
            }

            // --sign: the promotion engine's signer, the same flags and checks as Promote (read before anything is pushed).
            var signer = settings.Signing.Apply(new PromotionPolicy()).Signer;
            using var ownedKey = signer as IDisposable;
            if (signer is not null)
                cake.Log.Information("{0} each release image (index children too) in each production registry with {1}",
                    confirm ? "signing" : "would sign", signer.Description);
            var stagingSetting = settings.StagingRegistry;
            var productionSetting = settings.ProductionRegistries;
            if (!confirm)
            {
                var staging = stagingSetting ?? $"<local registry>/{LocalStagingPrefix}";
                var production = productionSetting ?? [$"<local registry 1>/{LocalProductionPrefix}", $"<local registry 2>/{LocalProductionPrefix}"];
                foreach (var line in pipeline.Describe(new ReleaseRequest(version, decision.Range.HeadSha, images, staging, production, manifest, output)))
                    cake.Log.Information(line);
                cake.Log.Information(DecideTagPush(settings.GitRemote, productionSetting is not null, dryRun: true, version.Tag).Line);
                cake.Log.Information("dry run: nothing was built, pushed, written, promoted or tagged; pass --confirm to release");
                return;
            }

            var stagingRegistry = stagingSetting ?? Local(LocalStagingPrefix);
            var productionRegistries = productionSetting ?? [Local(LocalProductionPrefix), Local(LocalProductionPrefix)];
            if (productionSetting is null)
                cake.Log.Warning("no --production-registries: releasing into local registries of this run, which stop when it ends");
            var release = new ReleaseRequest(version, decision.Range.HeadSha, images, stagingRegistry, productionRegistries, manifest, output)
            {
                Signer = signer,
            };
            pipeline.ReleaseAsync(release).GetAwaiter().GetResult();

            cake.GitTag(repositoryRoot, version.Tag, decision.Range.HeadSha);
            cake.Log.Information("tagged {0} {1}", decision.Range.HeadSha, version.Tag);
            var (push, pushLine) = DecideTagPush(settings.GitRemote, productionSetting is not null, dryRun: false, version.Tag);
            if (push) cake.GitPushRef(repositoryRoot, settings.GitRemote, version.Tag);
            cake.Log.Information(pushLine);
        }
        catch (Exception exception) when (exception is PromoterException or FormatException or LibGit2Sharp.LibGit2SharpException)
        {
            throw new CakeException($"PromoteRelease {version.Tag} failed: {exception.Message}", exception);
        }
    }

    private ReleaseImageSet LoadImages()
    {
        try
        {
            var set = ReleaseImageSet.Load(settings.ImagesFile);
            set.RequireEngine(engine.Name);
            return set;
        }
        catch (InputFormatException exception)
        {
            throw new CakeException($"PromoteRelease: {exception.Message}", exception);
        }
    }

    private string Local(string prefix)
    {
        var endpoint = registries.StartLocal();
        registries.Pool.Alias(endpoint.Address, endpoint);
        return $"{endpoint.Address}/{prefix}";
    }

    /// <summary>Whether the tag is pushed: only to a configured remote, and only when production is real (configured).</summary>
    private (bool Push, string Line) DecideTagPush(string remote, bool productionConfigured, bool dryRun, string tag)
    {
        if (!cake.GitRemotes(repositoryRoot).Any(r => r.Name == remote))
            return (false, $"no git remote '{remote}' is configured: tag {tag} stays in this clone");
        if (!productionConfigured)
            return (false, $"tag {tag} is not pushed to '{remote}': the production registries are local registries of this run");
        return (true, dryRun ? $"would push tag {tag} to '{remote}'" : $"pushed tag {tag} to '{remote}'");
    }
}
