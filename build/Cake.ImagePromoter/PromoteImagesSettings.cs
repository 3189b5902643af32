using Cake.Core.IO;

namespace Cake.ImagePromoter;

/// <summary>How <see cref="ImagePromoterAliases.PromoteImages(Cake.Core.ICakeContext, FilePath, PromoteImagesSettings)"/>
/// promotes: a dry run unless <see cref="Confirm"/>, all or nothing unless <see cref="IsolateEdges"/>.</summary>
public sealed class PromoteImagesSettings : ImagePromoterSettings
{
    /// <summary>Write to the destinations; false (the default) is a dry run: the plan is made and checked (a refusal still
    /// fails) and nothing is written.</summary>
    public bool Confirm { get; set; }

    /// <summary>Registry operations at once, 1 to 256 (default 8).</summary>
    public int Threads { get; set; } = 8;

    /// <summary>Move a destination tag that points at another digest; refused by default.</summary>
    public bool AllowTagMoves { get; set; }

    /// <summary>Promote every clean edge and refuse only the others (then fail naming them); false (the default): any refusal
    /// refuses the whole run before anything is written.</summary>
    public bool IsolateEdges { get; set; }

    /// <summary>Refuse an edge whose digest the source lacks; false (the default) skips it with a warning.</summary>
    public bool RequireSource { get; set; }

    /// <summary>Also check everything already promoted in the destinations and write again what is not served (an audit).</summary>
    public bool VerifyDestination { get; set; }

    /// <summary>Carry cosign <c>.sig</c>/<c>.att</c>/<c>.sbom</c> tags and OCI referrers of each promoted digest (default true).</summary>
    public bool CopyAttachments { get; set; } = true;

    /// <summary>A PEM public key: a source digest without a valid cosign signature for it is refused.</summary>
    public FilePath? RequireSignature { get; set; }

    /// <summary>A PEM EC P-256 private key (PKCS#8, encrypted PKCS#8 or SEC1): each promoted digest is signed with it in each
    /// destination (cosign's key-based format). Never logged.</summary>
    public FilePath? SigningKey { get; set; }

    /// <summary>A file whose first line is the passphrase of an encrypted <see cref="SigningKey"/>.</summary>
    public FilePath? SigningKeyPassphraseFile { get; set; }

    /// <summary>The name of an environment variable holding the passphrase of an encrypted <see cref="SigningKey"/>.</summary>
    public string? SigningKeyPassphraseVariable { get; set; }

    /// <summary>Write the plan here as JSON (every edge: COPY/TAG/MOVE/ALREADY/REFUSED/LOST), also when it is refused.</summary>
    public FilePath? PlanOut { get; set; }

    /// <summary>Execute exactly this reviewed plan (written through <see cref="PlanOut"/>) instead of the manifests' edges,
    /// refusing before any write when a registry drifted from it.</summary>
    public FilePath? Plan { get; set; }
}
