using Promoter.Promotion.Engine;
using Promoter.Promotion;
using Promoter.Registry;

namespace Promoter.E2E;

/// <summary>What the runner needs from the registries, as operations (the build program wires them to real registries).</summary>
/// <param name="Purge">Empties the named registries (<c>host[/prefix]</c>), refusing unsafe ones before touching any.</param>
/// <param name="Seed">Pushes the golden set into the source registry of the test.</param>
/// <param name="Snapshot">Reads the snapshot of a registry path.</param>
/// <param name="Pool">The registries the promotion runs against.</param>
/// <param name="ParseInvocation">Reads a test's <c>invocation</c> (with <c>$PWD</c> resolved and <c>--confirm</c> added) into
/// the promotion it asks for: the edges to load and the policy, keys read; the build program's one parser of Promote's
/// settings. Throws <see cref="FormatException"/> or a <see cref="PromoterException"/> for a bad invocation.</param>
public sealed record E2EOperations(
    Func<IReadOnlyList<string>, CancellationToken, Task> Purge,
    Func<E2ETest, CancellationToken, Task> Seed,
    Func<string, CancellationToken, Task<Snapshot>> Snapshot,
    RegistryPool Pool,
    Func<IReadOnlyList<string>, PreparedPromotion> ParseInvocation)
{
    /// <summary>Checks a signature outside the project's code (OpenSSL) for the <c>verify-signatures</c> key; null when the
    /// caller has none (a test with the key then fails, saying so).</summary>
    public ExternalSignatureCheck? CheckSignature { get; init; }
}
