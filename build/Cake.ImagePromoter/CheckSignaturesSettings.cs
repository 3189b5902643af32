namespace Cake.ImagePromoter;

/// <summary>How <see cref="ImagePromoterAliases.CheckSignatures(Cake.Core.ICakeContext, Cake.Core.IO.FilePath, CheckSignaturesSettings?)"/> runs.</summary>
public sealed class CheckSignaturesSettings : ImagePromoterSettings
{
    /// <summary>Copy (or merge) the missing signatures; false (the default) only lists them and fails when any is missing.</summary>
    public bool Confirm { get; set; }

    /// <summary>Registry operations at once (default 8).</summary>
    public int Threads { get; set; } = 8;
}
