using Build.Settings;
using Cake.Core;
using Cake.Core.IO;
using Cake.ImagePromoter;
using Promoter.Registry;

namespace Build.Flows;

/// <summary>The SignatureCheck task's work (kpromo's <c>sigcheck</c>): the addin's <see cref="ImagePromoterAliases.CheckSignatures(ICakeContext, FilePath, CheckSignaturesSettings?)"/>
/// on the manifest or thin-manifest directory the command names.</summary>
public static class SignatureCheckFlow
{
    /// <summary>
    /// Lists every destination digest of the command's manifests whose signatures are missing or differ from the source's;
    /// with <c>--confirm</c> copies (or merges) them. Without <c>--confirm</c>, any finding fails the task, so a periodic job
    /// notices a mirror that lost its signatures.
    /// </summary>
    /// <exception cref="CakeException">Findings without --confirm.</exception>
    /// <exception cref="Promoter.PromoterException">A manifest is invalid or a registry failed.</exception>
    public static void Run(PromoteCommand command, RegistryPool pool, ICakeContext context)
    {
        var check = new CheckSignaturesSettings { Confirm = command.Run.Confirm, Threads = command.Run.Threads, Registries = pool };
        if (command.Inputs.Manifest is { } manifest) context.CheckSignatures(new FilePath(manifest), check);
        else context.CheckSignatures(new DirectoryPath(command.Inputs.ThinManifestDirectory!), check);
    }
}
