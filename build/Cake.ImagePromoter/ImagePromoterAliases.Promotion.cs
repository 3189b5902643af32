using Cake.Core;
using Cake.Core.Annotations;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Promoter.Promotion;
using Promoter.Promotion.Engine;
using Promoter.Promotion.Registries;
using Promoter.Promotion.Checks;

namespace Cake.ImagePromoter;

/// <summary>
/// Container-image promotion for Cake: promotes images between registries by digest as promoter manifests say, takes
/// registry snapshots, checks signatures, and the golden-image and release helpers of the image promoter's own build.
/// Each alias is a thin layer over the library ImagePromoter.Core.
/// </summary>
/// <example>
/// <code>
/// #addin nuget:?package=Cake.ImagePromoter&amp;version=0.1.0&amp;loaddependencies=true
/// Task("Promote").Does(() =>
/// {
///     var result = PromoteImages("promoter-manifest.yaml", new PromoteImagesSettings { Confirm = true });
///     Information(result);
/// });
/// </code>
/// </example>
[CakeAliasCategory("ImagePromoter")]
[CakeNamespaceImport("Cake.ImagePromoter")]
[CakeNamespaceImport("Promoter.Promotion")]
[CakeNamespaceImport("Promoter.Promotion.Engine")]
[CakeNamespaceImport("Promoter.Golden")]
[CakeNamespaceImport("Promoter.Images")]
public static partial class ImagePromoterAliases
{
    /// <summary>
    /// Promotes the images a promoter manifest lists (upstream CIP's format): plans with HEAD requests only, refuses tag
    /// moves (unless allowed), then copies missing digests and writes tags - or stops after the plan when
    /// <see cref="PromoteImagesSettings.Confirm"/> is false (the default: a dry run). Nothing is ever deleted; a second run
    /// plans nothing.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="manifest">The promoter manifest (relative to the working directory).</param>
    /// <param name="settings">How to promote.</param>
    /// <returns>What was planned and done.</returns>
    /// <exception cref="CakeException">An edge was refused: the message names every refused edge, and the exception's
    /// <c>Data[PromoteImagesResult.DataKey]</c> holds the <see cref="PromoteImagesResult"/>.</exception>
    /// <exception cref="Promoter.PromoterException">A manifest is invalid, a key unusable, a registry failed, or a reviewed
    /// plan drifted (the library's message, unchanged).</exception>
    /// <example>
    /// <code>
    /// var result = PromoteImages("manifests/promoter-manifest.yaml", new PromoteImagesSettings { Confirm = true, Threads = 16 });
    /// </code>
    /// </example>
    [CakeMethodAlias]
    [CakeAliasCategory("Promotion")]
    public static PromoteImagesResult PromoteImages(this ICakeContext context, FilePath manifest, PromoteImagesSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(manifest);
        return Promote(context, new PromotionRequest { Manifest = Absolute(context, manifest) }, settings);
    }

    /// <summary>
    /// Promotes the images of a thin-manifest directory (upstream CIP's layout: <c>manifests/&lt;project&gt;/promoter-manifest.yaml</c>
    /// with the images under <c>images/&lt;project&gt;/images.yaml</c>), as the <see cref="FilePath"/> overload does.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="thinManifestDirectory">The thin-manifest directory (relative to the working directory).</param>
    /// <param name="settings">How to promote.</param>
    /// <returns>What was planned and done.</returns>
    /// <exception cref="CakeException">An edge was refused: the message names every refused edge, and the exception's
    /// <c>Data[PromoteImagesResult.DataKey]</c> holds the <see cref="PromoteImagesResult"/>.</exception>
    /// <exception cref="Promoter.PromoterException">A manifest is invalid, a key unusable, a registry failed, or a reviewed
    /// plan drifted.</exception>
    [CakeMethodAlias]
    [CakeAliasCategory("Promotion")]
    public static PromoteImagesResult PromoteImages(this ICakeContext context, DirectoryPath thinManifestDirectory, PromoteImagesSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(thinManifestDirectory);
        return Promote(context, new PromotionRequest { ThinManifestDirectory = Absolute(context, thinManifestDirectory) }, settings);
    }

    /// <summary>
    /// The snapshot of a registry path (upstream CIP's snapshot: every image under the path with its digests and their
    /// tags); <see cref="Snapshot.ToText"/> gives upstream's YAML, <see cref="Snapshot.ToCsv"/> kpromo's CSV.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="registry">The registry path, <c>host[:port][/prefix]</c>, e.g. <c>127.0.0.1:5000/prod</c>.</param>
    /// <param name="settings">Filters and registry access; null for none and the defaults.</param>
    /// <returns>The snapshot, images sorted by name.</returns>
    /// <exception cref="Promoter.PromoterException">The registry could not be listed.</exception>
    [CakeMethodAlias]
    [CakeAliasCategory("Promotion")]
    public static Snapshot SnapshotRegistry(this ICakeContext context, string registry, SnapshotRegistrySettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrWhiteSpace(registry);
        settings ??= new SnapshotRegistrySettings();
        using var scope = RegistryScope.Open(context, settings);
        try
        {
            return RegistrySnapshotter.TakeAsync(scope.Pool, registry, settings.Tag, settings.Minimal).GetAwaiter().GetResult();
        }
        catch (FormatException exception)
        {
            throw new CakeException($"SnapshotRegistry: {exception.Message}", exception);
        }
    }

    /// <summary>
    /// kpromo's <c>sigcheck</c> for a promoter manifest: lists every destination digest whose cosign signatures are missing
    /// or lack the source's; with <see cref="CheckSignaturesSettings.Confirm"/> copies (or merges) them instead.
    /// </summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="manifest">The promoter manifest.</param>
    /// <param name="settings">Confirm, threads and registry access; null for a check with the defaults.</param>
    /// <returns>What was checked and found.</returns>
    /// <exception cref="CakeException">Signatures are missing or differ and <see cref="CheckSignaturesSettings.Confirm"/> is false.</exception>
    /// <exception cref="Promoter.PromoterException">A manifest is invalid or a registry failed.</exception>
    [CakeMethodAlias]
    [CakeAliasCategory("Signatures")]
    public static SignatureCheckResult CheckSignatures(this ICakeContext context, FilePath manifest, CheckSignaturesSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(manifest);
        return CheckSignatures(context, new PromotionRequest { Manifest = Absolute(context, manifest) }, settings ?? new CheckSignaturesSettings());
    }

    /// <summary>kpromo's <c>sigcheck</c> for a thin-manifest directory, as the <see cref="FilePath"/> overload does.</summary>
    /// <param name="context">The Cake context.</param>
    /// <param name="thinManifestDirectory">The thin-manifest directory.</param>
    /// <param name="settings">Confirm, threads and registry access; null for a check with the defaults.</param>
    /// <returns>What was checked and found.</returns>
    /// <exception cref="CakeException">Signatures are missing or differ and <see cref="CheckSignaturesSettings.Confirm"/> is false.</exception>
    /// <exception cref="Promoter.PromoterException">A manifest is invalid or a registry failed.</exception>
    [CakeMethodAlias]
    [CakeAliasCategory("Signatures")]
    public static SignatureCheckResult CheckSignatures(this ICakeContext context, DirectoryPath thinManifestDirectory, CheckSignaturesSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(thinManifestDirectory);
        return CheckSignatures(context, new PromotionRequest { ThinManifestDirectory = Absolute(context, thinManifestDirectory) },
            settings ?? new CheckSignaturesSettings());
    }

    private static SignatureCheckResult CheckSignatures(ICakeContext context, PromotionRequest request, CheckSignaturesSettings settings)
    {
        using var scope = RegistryScope.Open(context, settings);
        var edges = request.LoadEdges(warning => context.Log.Warning(warning));
        var result = SignatureCheck.RunAsync(scope.Pool, edges, settings.Confirm, settings.Threads, Writer(context.Log)).GetAwaiter().GetResult();
        if (result.Findings.Count > 0 && !result.Fixed)
            throw new CakeException($"{result.Findings.Count} destination signature(s) missing or differing (listed above); " +
                                    "confirm (--confirm, CheckSignaturesSettings.Confirm) to copy them.");
        return result;
    }

    private static PromoteImagesResult Promote(ICakeContext context, PromotionRequest request, PromoteImagesSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Threads is < 1 or > 256)
            throw new CakeException($"PromoteImagesSettings.Threads: expected a whole number from 1 to 256, got {settings.Threads}.");
        var log = context.Log;
        PromotionPlan? planned = null;
        var policy = new PromotionPolicy
        {
            Confirm = settings.Confirm,
            AllowTagMoves = settings.AllowTagMoves,
            Threads = settings.Threads,
            LostEdges = settings.RequireSource ? LostEdgePolicy.Fail : LostEdgePolicy.WarnAndSkip,
            IsolateEdges = settings.IsolateEdges,
            VerifyDestination = settings.VerifyDestination,
            Log = Writer(log),
            OnPlan = plan =>
            {
                planned = plan;
                if (settings.PlanOut is not { } planOut) return;
                var path = Absolute(context, planOut);
                PlanReport.WriteJson(plan, path);
                log.Information("plan: {0} ({1} edge(s), {2} manifest write(s))", path, plan.Edges.Count, plan.Copies.Count + plan.Tags.Count);
            },
        };
        var signing = new SigningArguments
        {
            CopyAttachments = settings.CopyAttachments,
            Sign = settings.SigningKey is not null,
            SigningKey = Absolute(context, settings.SigningKey),
            PassphraseFile = Absolute(context, settings.SigningKeyPassphraseFile),
            PassphraseVariable = settings.SigningKeyPassphraseVariable,
            RequireSignature = Absolute(context, settings.RequireSignature),
        };
        try
        {
            policy = signing.Apply(policy);
        }
        catch (FormatException exception)
        {
            throw new CakeException($"PromoteImages: {exception.Message}", exception);
        }
        if (policy.Signer is not null) log.Information("signing with {0}", policy.Signer.Description);
        request = request with { Policy = policy };
        EdgeLoader load = request.LoadEdges;
        if (settings.Plan is { } reviewedPath)
        {
            var reviewed = Absolute(context, reviewedPath);
            var expected = PlanReport.ReadJson(reviewed);
            log.Information("plan {0}: {1} edge(s) to execute exactly as reviewed, after a check for drift", reviewed, expected.Edges.Count);
            policy = policy with { ExpectedPlan = expected, ExpectedPlanFile = reviewed };
            load = _ => expected.Edges.Select(e => e.Edge).ToList();
        }

        using var scope = RegistryScope.Open(context, settings);
        try
        {
            var outcome = new PromotionPipeline(scope.Pool, policy).RunAsync(load).GetAwaiter().GetResult();
            var result = new PromoteImagesResult(outcome.Plan, outcome.Stop == PromotionStop.DryRun, outcome.Counts, [], settings.RequireSource);
            log.Information("PromoteImages: {0}", result);
            return result;
        }
        catch (PromotionRefusedException refusal)
        {
            throw Refused(refusal, new PromoteImagesResult(planned ?? new PromotionPlan([]), !settings.Confirm, PromotionCounts.None, refusal.Refused, settings.RequireSource));
        }
        catch (EdgesRefusedException refusal)
        {
            throw Refused(refusal, new PromoteImagesResult(planned ?? new PromotionPlan([]), !settings.Confirm, refusal.Counts, refusal.Refused, settings.RequireSource));
        }
    }

    private static CakeException Refused(Exception refusal, PromoteImagesResult result)
    {
        var exception = new CakeException($"PromoteImages refused {result.Refused.Count} edge(s): {refusal.Message}", refusal);
        exception.Data[PromoteImagesResult.DataKey] = result;
        return exception;
    }

    private static PromotionLog Writer(ICakeLog log) => (level, line) =>
    {
        switch (level)
        {
            case PromotionLogLevel.Warning: log.Warning(line); break;
            case PromotionLogLevel.Detail: log.Verbose(line); break;
            default: log.Information(line); break;
        }
    };

    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(path))]
    private static string? Absolute(ICakeContext context, FilePath? path) => path?.MakeAbsolute(context.Environment).FullPath;

    private static string Absolute(ICakeContext context, DirectoryPath path) => path.MakeAbsolute(context.Environment).FullPath;
}
