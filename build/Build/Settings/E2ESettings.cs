namespace Build.Settings;

/// <summary>E2E.</summary>
/// <param name="TestFile">The e2e test file (absolute).</param>
public sealed record E2ESettings(string TestFile)
{
    /// <summary><c>--e2e-new-test-signatures</c>: sign the <c>attach</c> fixtures anew (see <c>manifests/e2e/README.md</c>).</summary>
    public bool NewTestSignatures { get; init; }
}
