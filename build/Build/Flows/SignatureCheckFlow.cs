using Build.Settings;
using Cake.Core;
using Cake.Core.Diagnostics;
using Promoter.Promotion.Engine;
using Promoter.Registry;

namespace Build.Flows;

/// <summary>The SignatureCheck task's work (kpromo's <c>sigcheck</c>): <see cref="SignatureCheck"/> on the manifests' edges.</summary>
public static class SignatureCheckFlow
{
    /// <summary>
    /// Lists every destination digest of the manifests whose signatures are missing or differ from the source's; with
    /// <c>--confirm</c> copies (or merges) them. Without <c>--confirm</c>, any finding fails the task, so a periodic job
    /// notices a mirror that lost its signatures.
    /// </summary>
    /// <exception cref="CakeException">Findings without --confirm, or --snapshot given.</exception>
    /// <exception cref="Promoter.PromoterException">A manifest is invalid or a registry failed.</exception>
    public static void Run(PromoteSettings settings, RegistryPool pool, ICakeLog log)
    {
        if (settings.Snapshot is not null) throw new CakeException("SignatureCheck reads --manifest or --thin-manifest-dir, not --snapshot.");
        var request = new PromotionRequest { Manifest = settings.Manifest, ThinManifestDirectory = settings.ThinManifestDirectory };
        void Write(PromotionLogLevel level, string line)
        {
            if (level == PromotionLogLevel.Warning) log.Warning(line);
            else if (level == PromotionLogLevel.Detail) log.Verbose(line);
            else log.Information(line);
        }
        var edges = request.LoadEdges(warning => log.Warning(warning));
        var result = SignatureCheck.RunAsync(pool, edges, settings.Confirm, settings.Threads, Write).GetAwaiter().GetResult();
        if (result.Findings.Count > 0 && !result.Fixed)
            throw new CakeException($"{result.Findings.Count} destination signature(s) missing or differing (listed above); add --confirm to copy them.");
    }
}
