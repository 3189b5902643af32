using Promoter.Promotion;
using Promoter.Yaml;

namespace Promoter.E2E;

/// <summary>One test of an e2e test file (<c>manifests/README.md</c> §4).</summary>
/// <param name="Name">The test name.</param>
/// <param name="Registries">The registries to wipe before the test; also where service accounts are looked up.</param>
/// <param name="Invocation">Extra <c>cip run</c> arguments; the text <c>$PWD</c> stands for the repository root.</param>
/// <param name="Snapshots">The registries to snapshot before and after promotion.</param>
public sealed record E2ETest(
    string Name,
    IReadOnlyList<RegistryEntry> Registries,
    IReadOnlyList<string> Invocation,
    IReadOnlyList<E2ESnapshot> Snapshots)
{
    /// <summary>The placeholder replaced by the repository root in <see cref="Invocation"/>.</summary>
    public const string RepoRootPlaceholder = "$PWD";

    /// <summary>The placeholder the runner replaces by a P-256 private key file it makes for the case (the project's extension,
    /// for <c>--signing-key=</c>); its public half is given to the attachment audit for promotion records.</summary>
    public const string SigningKeyPlaceholder = "$E2E_SIGNING_KEY";

    /// <summary>Where the test was read from.</summary>
    public SourceLocation? Location { get; init; }

    /// <summary>
    /// The project's extension key <c>expect-error</c>: when set, the promotion must fail with a message containing
    /// this text; null for upstream tests, whose promotion must succeed.
    /// </summary>
    public string? ExpectError { get; init; }

    /// <summary>
    /// The project's extension key <c>attach</c>: a signature fixture file (<see cref="SourceSignatureFixture"/>; <c>$PWD</c>
    /// allowed); after seeding, every manifest of the source registry gets a <c>.sig</c>, a <c>.att</c> and an SBOM referrer
    /// (<see cref="SignedSource"/>). Null: nothing is attached.
    /// </summary>
    public string? Attach { get; init; }

    /// <summary>
    /// The project's extension key <c>verify-signatures</c>: a PEM public key (<c>$PWD</c> allowed); after the <c>after</c>
    /// snapshots match, every image digest of every snapshot path must have its attachments and every signature must verify
    /// with this key through OpenSSL (<see cref="AttachmentAudit"/>). Null: no audit.
    /// </summary>
    public string? VerifySignatures { get; init; }

    /// <summary><paramref name="value"/> with <c>$PWD</c> replaced by <paramref name="repoRoot"/>, as <see cref="InvocationFor"/> does.</summary>
    public static string ResolvePath(string value, string repoRoot) => value.Replace(RepoRootPlaceholder, repoRoot, StringComparison.Ordinal);

    /// <summary>
    /// <see cref="Invocation"/> with every occurrence of <c>$PWD</c> replaced by <paramref name="repoRoot"/>
    /// (used as given: pass it without a trailing '/', since invocations write <c>$PWD/...</c>).
    /// </summary>
    public IReadOnlyList<string> InvocationFor(string repoRoot) =>
        Invocation.Select(arg => arg.Replace(RepoRootPlaceholder, repoRoot, StringComparison.Ordinal)).ToList();

    /// <summary>
    /// The service account for snapshotting <paramref name="registryName"/>: that of the test registry with
    /// exactly that name, or null when there is none or it has no service account.
    /// </summary>
    public string? ServiceAccountFor(string registryName) =>
        Registries.FirstOrDefault(r => string.Equals(r.Name, registryName, StringComparison.Ordinal))?.ServiceAccount;
}
