using Build.Settings;
using Cake.Core;
using Cake.Core.IO;
using Cake.ImagePromoter;
using Promoter.Registry;

namespace Build.Flows;

/// <summary>The SignatureCheck task's work (kpromo's <c>sigcheck</c>): the addin's <see cref="ImagePromoterAliases.CheckSignatures(ICakeContext, FilePath, CheckSignaturesSettings?)"/>
/// on the manifest or thin-manifest directory the settings name.</summary>
public static class SignatureCheckFlow
{
    /// <summary>
    /// Lists every destination digest of the manifests whose signatures are missing or differ from the source's; with
    /// <c>--confirm</c> copies (or merges) them. Without <c>--confirm</c>, any finding fails the task, so a periodic job
    /// notices a mirror that lost its signatures.
    /// </summary>
    /// <exception cref="CakeException">Findings without --confirm, or --snapshot given.</exception>
    /// <exception cref="Promoter.PromoterException">A manifest is invalid or a registry failed.</exception>
    public static void Run(PromoteSettings settings, RegistryPool pool, ICakeContext context)
    {
        if (settings.Snapshot is not null) throw new CakeException("SignatureCheck reads --manifest or --thin-manifest-dir, not --snapshot.");
        var check = new CheckSignaturesSettings { Confirm = settings.Confirm, Threads = settings.Threads, Registries = pool };
        if (settings.Manifest is { } manifest) context.CheckSignatures(new FilePath(manifest), check);
        else context.CheckSignatures(new DirectoryPath(settings.ThinManifestDirectory ?? throw new CakeException("SignatureCheck needs --manifest or --thin-manifest-dir.")), check);
    }
}
