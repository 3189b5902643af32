using Promoter.Images;
using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Promoter.Registry;
using Promoter.Yaml;

namespace Promoter.Releases;

/// <summary>
/// The release steps after the gates said yes: build the release images (tag <c>v&lt;version&gt;</c>), push them to
/// staging, write the production promoter manifest, promote staging to production by digest with
/// <see cref="PromotionPipeline"/> under <see cref="Policy"/>. Tagging the commit is the caller's (it needs git).
/// A presubmit only builds (<see cref="BuildAsync"/>); a dry run only describes (<see cref="Describe"/>).
/// </summary>
public sealed class ReleasePipeline(IImageEngine engine, RegistryPool registries, Action<string>? log = null)
{
    /// <summary>What a release of <paramref name="request"/> would do, one line per step; nothing is built, pushed or written.</summary>
    public IReadOnlyList<string> Describe(ReleaseRequest request)
    {
        var tag = request.Version.Tag;
        var lines = new List<string>();
        foreach (var image in request.Images.Images)
            lines.Add($"would build {engine.DescribeBuild(ReleaseBuilds.Spec(image, tag))}, tagged {tag}");
        foreach (var image in request.Images.Images)
            lines.Add($"would push {request.StagingRegistry}/{image.Repository}:{tag}");
        lines.Add($"would write {request.ManifestPath}: src {request.StagingRegistry} -> {string.Join(", ", request.ProductionRegistries)}");
        foreach (var production in request.ProductionRegistries)
            foreach (var image in request.Images.Images)
                lines.Add($"would promote {request.StagingRegistry}/{image.Repository} -> {production}/{image.Repository}:{tag} (same digest)");
        lines.Add($"would tag commit {request.Commit} {tag}");
        return lines;
    }

    /// <summary>Builds every image (nothing is pushed).</summary>
    /// <exception cref="ReleaseBuildException">A build failed.</exception>
    public async Task<IReadOnlyList<BuiltReleaseImage>> BuildAsync(ReleaseRequest request, CancellationToken cancellationToken = default)
    {
        var built = new List<BuiltReleaseImage>();
        foreach (var image in request.Images.Images)
        {
            var spec = ReleaseBuilds.Spec(image, request.Version.Tag);
            BuiltReleaseImage result;
            try { result = new BuiltReleaseImage(image, request.Version.Tag, await engine.BuildAsync(spec, request.OutputFolder, cancellationToken)); }
            catch (ImageEngineException exception) { throw new ReleaseBuildException($"release image {image.Repository}: {exception.Message}", exception); }
            log?.Invoke($"built {image.Repository}:{result.Tag} ({image.Platform}, {engine.Name}) at {result.Location}" +
                        (result.ManifestDigest is { } digest ? $", manifest {digest}" : ""));
            built.Add(result);
        }
        return built;
    }

    /// <summary>Builds, pushes to staging, writes the production manifest and promotes.</summary>
    /// <exception cref="ReleaseBuildException">A build or push failed.</exception>
    /// <exception cref="RegistryException">A registry refused or could not be reached.</exception>
    /// <exception cref="InputFormatException">The written manifest does not validate.</exception>
    /// <exception cref="PromotionRefusedException">The promotion was refused: a production tag points at another
    /// digest, or a staged digest is missing from staging.</exception>
    public async Task<ReleaseOutcome> ReleaseAsync(ReleaseRequest request, CancellationToken cancellationToken = default)
    {
        var built = await BuildAsync(request, cancellationToken);
        var staged = new List<StagedReleaseImage>();
        foreach (var image in built)
        {
            StagedReleaseImage pushed;
            try
            {
                var references = await engine.PushAsync(image.Image, new PushTarget(request.StagingRegistry, image.Definition.Repository, [image.Tag]),
                    cancellationToken: cancellationToken);
                pushed = new StagedReleaseImage(image.Definition, $"{request.StagingRegistry}/{image.Definition.Repository}:{image.Tag}", references[0].Digest);
            }
            catch (ImageEngineException exception) { throw new ReleaseBuildException($"release image {image.Definition.Repository}: {exception.Message}", exception); }
            if (image.ManifestDigest is { } expected && expected != pushed.Digest)
                throw new ReleaseBuildException($"{pushed.Reference}: staging holds {pushed.Digest}, but the build's manifest is {expected}.");
            log?.Invoke($"pushed {pushed.Reference} {pushed.Digest}");
            staged.Add(pushed);
        }

        var manifest = ReleaseManifestWriter.Write(request.ManifestPath, request.Version, request.Commit,
            request.StagingRegistry, request.ProductionRegistries, staged);
        log?.Invoke($"wrote {request.ManifestPath} ({manifest.Images.Count} image(s), {manifest.Destinations.Count} production registr{(manifest.Destinations.Count == 1 ? "y" : "ies")})");

        var promotion = await PromoteAsync(manifest, request.PromotionThreads, request.Signer, cancellationToken);
        return new ReleaseOutcome(built, staged, manifest, promotion);
    }

    /// <summary>
    /// A release's promotion policy: always confirmed (a release dry run never reaches the promotion), never a tag move
    /// (a published release tag is immutable), and a digest missing from staging fails the release.
    /// </summary>
    /// <param name="threads">Registry operations at once.</param>
    /// <param name="log">Receives every line of the promotion's log, details included; null for none.</param>
    /// <param name="signer">Signs each promoted digest in each destination; null for none.</param>
    public static PromotionPolicy Policy(int threads, Action<string>? log, Promoter.Attachments.IImageSigner? signer = null) => new()
    {
        Signer = signer,
        Confirm = true,
        AllowTagMoves = false,
        LostEdges = LostEdgePolicy.Fail,
        Threads = threads,
        Log = log is null ? null : (level, line) => log(level == PromotionLogLevel.Warning ? $"warning: {line}" : line),
    };

    /// <summary>Promotes <paramref name="manifest"/> (staging to production) under <see cref="Policy"/>; an empty plan writes nothing.</summary>
    /// <exception cref="PromotionRefusedException">A production tag points at another digest, or a digest is missing from staging.</exception>
    /// <exception cref="RegistryException">A registry refused or could not be reached.</exception>
    /// <param name="manifest">The production promoter manifest.</param>
    /// <param name="threads">Registry operations at once.</param>
    /// <param name="signer">Signs each release image digest in each production repository; null for none.</param>
    /// <param name="cancellationToken">Cancels the promotion.</param>
    public Task<PromotionOutcome> PromoteAsync(PromoterManifest manifest, int threads = 8, Promoter.Attachments.IImageSigner? signer = null,
        CancellationToken cancellationToken = default) =>
        new PromotionPipeline(registries, Policy(threads, log, signer)).RunAsync(_ => PromotionEdges.FromManifests([manifest]), cancellationToken);
}
