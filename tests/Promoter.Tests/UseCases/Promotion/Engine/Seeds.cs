using Promoter.Oci;
using Promoter.Promotion;
using Promoter.Registry;
using Promoter.Tests.Support;

namespace Promoter.Tests.Promotion.Engine;

/// <summary>
/// The shape of upstream's golden <c>foo</c> image, pushed through the real API: an index tagged <c>1.0</c> over an
/// amd64 image tagged <c>1.0-linux_amd64</c> and a tagless s390x child, plus a tagless image (<c>NOTAG-0</c> untagged).
/// </summary>
internal sealed record SeededFoo(PushedImage Amd64, PushedImage S390x, Digest Index, byte[] IndexBytes, PushedImage Tagless)
{
    /// <summary>Pushes the set into <paramref name="repository"/>; <paramref name="salt"/> makes its digests unique.</summary>
    public static async Task<SeededFoo> PushAsync(RegistryClient client, string repository, string salt)
    {
        var amd64 = await TestImages.PushAsync(client, repository, "1.0-linux_amd64", $"foo 1.0-linux_amd64 {salt}\n", "amd64");
        var s390x = await TestImages.PushAsync(client, repository, null, $"foo 1.0-linux_s390x {salt}\n", "s390x");
        var (bytes, index) = await TestImages.PushIndexAsync(client, repository, "1.0", amd64, s390x);
        var tagless = await TestImages.PushAsync(client, repository, null, $"foo NOTAG-0 {salt}\n");
        return new SeededFoo(amd64, s390x, index, bytes, tagless);
    }

    /// <summary>The edges upstream's golden manifest gives for foo: the index and the amd64 image by tag, the tagless image by digest.</summary>
    public IReadOnlyList<PromotionEdge> Edges(string source, string destination, string image = "foo") =>
    [
        new(source, image, Index.Value, destination, image, "1.0"),
        new(source, image, Amd64.Digest.Value, destination, image, "1.0-linux_amd64"),
        new(source, image, Tagless.Digest.Value, destination, image, null),
    ];

    /// <summary>The snapshot lines of this set under <paramref name="name"/>, written independently of the snapshot code.</summary>
    public string SnapshotText(string name)
    {
        var lines = new[]
        {
            $"    \"{Index}\": [\"1.0\"]",
            $"    \"{Amd64.Digest}\": [\"1.0-linux_amd64\"]",
            $"    \"{S390x.Digest}\": []",
            $"    \"{Tagless.Digest}\": []",
        };
        // Each line starts with the same indent and quote, so ordinal line order is digest order (§3).
        return $"- name: {name}\n  dmap:\n" + string.Concat(lines.Order(StringComparer.Ordinal).Select(l => l + "\n"));
    }
}
