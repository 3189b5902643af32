namespace Promoter.Golden;

/// <summary>The kind of a <see cref="GoldenDifference"/>.</summary>
public enum GoldenDifferenceKind
{
    /// <summary>The build writes the archive, but the committed folder does not have it.</summary>
    Missing,

    /// <summary>The committed folder has a file that neither the build writes nor a committed-only image names.</summary>
    Extra,

    /// <summary>The committed archive's bytes differ from the built ones.</summary>
    Differs,
}
