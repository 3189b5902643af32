namespace Promoter.Promotion.Engine;

/// <summary>How <c>--require-provenance</c> treats a source digest without SLSA provenance.</summary>
public enum ProvenanceMode
{
    /// <summary>Missing provenance refuses the digest (<c>--provenance=require</c>, the default of <c>--require-provenance</c>).</summary>
    Require,
    /// <summary>Only provenance that is present is checked; none at all passes (<c>--provenance=verify-if-present</c>, kpromo's default).</summary>
    VerifyIfPresent,
}
