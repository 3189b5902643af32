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
    /// Lists every destination digest of the command's manifests whose signatures are missing or differ from the source's;
    /// with <c>--confirm</c> copies (or merges) them. Without <c>--confirm</c>, any finding fails the task, so a periodic job
    /// notices a mirror that lost its signatures.
    /// </summary>
    /// <exception cref="CakeException">Findings without --confirm.</exception>
    /// <exception cref="Promoter.PromoterException">A manifest is invalid or a registry failed.</exception>
    public static void Run(PromoteCommand command, RegistryPool pool, ICakeLog log)
    {
        var edges = command.Request.LoadEdges(warning => log.Warning(warning));
        var result = SignatureCheck.RunAsync(pool, edges, command.Run.Confirm, command.Run.Threads, (level, line) => PromoteFlow.Write(log, level, line))
            .GetAwaiter().GetResult();
        if (result.Findings.Count > 0 && !result.Fixed)
            throw new CakeException($"{result.Findings.Count} destination signature(s) missing or differing (listed above); add --confirm to copy them.");
    }
}
