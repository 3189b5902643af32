using Promoter.Oci;
using Promoter.Registry;
using Promoter.Tests.Support;

namespace Build.Tests.Harness;

/// <summary>Reads a registry back to check what a push left.</summary>
internal static partial class RegistryChecks
{
    /// <summary>One "reference digest" line PushSrc prints, split into its parts.</summary>
    /// <param name="Reference">e.g. <c>127.0.0.1:5000/prefix/golden-foo/foo:1.0</c> or <c>…/foo@sha256:…</c>.</param>
    /// <param name="Repository">The repository, prefix included.</param>
    /// <param name="TagOrDigest">What follows the repository.</param>
    /// <param name="Key">The reference below the prefix, a tagless one cut to <c>repository@</c>.</param>
    /// <param name="Digest">The digest printed for it.</param>
    public sealed record PushedReference(string Reference, string Repository, string TagOrDigest, string Key, string Digest);

    /// <summary>The "reference digest" lines of <paramref name="output"/> under <c>host/prefix/</c>.</summary>
    public static IReadOnlyList<PushedReference> PushedReferences(string output, string host, string prefix) =>
        PushedLine().Matches(output)
            .Select(m => (Reference: m.Groups["ref"].Value, Digest: m.Groups["digest"].Value))
            .Where(p => p.Reference.StartsWith($"{host}/{prefix}/", StringComparison.Ordinal))
            .Select(p =>
            {
                var path = p.Reference[(host.Length + 1)..];
                var at = path.IndexOf('@');
                var colon = path.LastIndexOf(':');
                var (repository, tagOrDigest) = at > 0 ? (path[..at], path[(at + 1)..]) : (path[..colon], path[(colon + 1)..]);
                var below = path[(prefix.Length + 1)..];
                var key = at > 0 ? below[..(below.IndexOf('@') + 1)] : below;
                return new PushedReference(p.Reference, repository, tagOrDigest, key, p.Digest);
            })
            .ToList();

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<ref>127\.0\.0\.1:\d+/\S+) (?<digest>sha256:[0-9a-f]{64})\r?$", System.Text.RegularExpressions.RegexOptions.Multiline)]
    private static partial System.Text.RegularExpressions.Regex PushedLine();

    /// <summary>
    /// Every manifest the registry holds (tagged or, through the storage root, tagless) whose blobs or child manifests
    /// are not all present: one line each. Empty when the registry is consistent.
    /// </summary>
    public static async Task<IReadOnlyList<string>> IncompleteManifestsAsync(RegistryClient client, string storageRoot)
    {
        var problems = new List<string>();
        foreach (var repository in await RegistryInventory.ReadAsync(client, storageRoot: storageRoot))
        {
            foreach (var manifest in repository.Manifests)
            {
                var content = await client.GetManifestAsync(repository.Repository, manifest.Digest.Value);
                var document = content.Parse($"{repository.Repository}@{manifest.Digest}");
                foreach (var blob in document.Blobs)
                    if (await client.HeadBlobAsync(repository.Repository, blob.ParsedDigest) is null)
                        problems.Add($"{repository.Repository}@{manifest.Digest}: blob {blob.Digest} is missing");
                foreach (var child in document.Manifests)
                    if (await client.HeadManifestAsync(repository.Repository, child.Digest) is null)
                        problems.Add($"{repository.Repository}@{manifest.Digest}: child manifest {child.Digest} is missing");
            }
        }
        return problems;
    }

    /// <summary>Every manifest digest the registry holds under repositories starting with <paramref name="prefix"/>.</summary>
    public static async Task<IReadOnlyList<string>> ManifestsUnderAsync(RegistryClient client, string storageRoot, string prefix) =>
        (await RegistryInventory.ReadAsync(client, storageRoot: storageRoot))
        .Where(r => r.Repository.StartsWith(prefix + "/", StringComparison.Ordinal))
        .SelectMany(r => r.Manifests.Select(m => $"{r.Repository}@{m.Digest}"))
        .ToList();

    /// <summary><c>skopeo inspect --raw --tls-verify=false docker://reference</c>: the raw manifest bytes.</summary>
    public static byte[] SkopeoRaw(string reference) =>
        ExternalTool.Run("skopeo", "inspect", "--raw", "--tls-verify=false", $"docker://{reference}").EnsureSuccess().OutputBytes;

    /// <summary>The sha256 digest of <paramref name="bytes"/>.</summary>
    public static Digest DigestOf(byte[] bytes) => Digest.Of(bytes);
}
