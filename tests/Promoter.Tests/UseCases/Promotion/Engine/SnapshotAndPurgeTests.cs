using System.Collections.Concurrent;
using FluentAssertions;
using Promoter.Oci;
using Promoter.Promotion;
using Promoter.Registry;
using Promoter.Tests.Support;
using Xunit;
using Promoter.Promotion.Registries;

namespace Promoter.Tests.Promotion.Engine;

/// <summary>Registry snapshots, tagless manifests from the storage root, and the purger, against real registry processes.</summary>
public class SnapshotAndPurgeTests(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    [Fact]
    public async Task Stored_revisions_list_tagless_manifests_and_not_deleted_ones()
    {
        using var pool = fixture.NewPool();
        var client = pool.For(EngineFixture.Staging);
        var repository = fixture.Unique("revisions") + "/img";
        var tagged = await TestImages.PushAsync(client, repository, "1.0", "tagged");
        var tagless = await TestImages.PushAsync(client, repository, null, "tagless");
        var deleted = await TestImages.PushAsync(client, repository, "gone", "deleted");
        await client.DeleteManifestAsync(repository, deleted.Digest.Value);

        RegistryInventory.StoredRevisions(fixture.First.StorageRoot, repository).Should()
            .BeEquivalentTo(new[] { tagged.Digest, tagless.Digest });
        // What the doc comment says a DELETE leaves behind: the revision folder without its link, no tag folder.
        var manifests = Path.Combine(fixture.First.StorageRoot, "docker", "registry", "v2", "repositories", repository, "_manifests");
        Directory.Exists(Path.Combine(manifests, "revisions", "sha256", deleted.Digest.Hex)).Should().BeTrue();
        File.Exists(Path.Combine(manifests, "revisions", "sha256", deleted.Digest.Hex, "link")).Should().BeFalse();
        Directory.Exists(Path.Combine(manifests, "tags", "gone")).Should().BeFalse();

        var withRoot = await RegistryInventory.ReadRepositoryAsync(client, repository, storageRoot: fixture.First.StorageRoot);
        withRoot.Manifests.Should().BeEquivalentTo(new[]
        {
            new InventoryManifest(tagged.Digest, MediaTypes.OciManifest, ["1.0"]),
            new InventoryManifest(tagless.Digest, MediaTypes.OciManifest, []),
        });
        var apiOnly = await RegistryInventory.ReadRepositoryAsync(client, repository);
        apiOnly.Manifests.Select(m => m.Digest).Should().Equal(tagged.Digest);

        var missing = () => RegistryInventory.StoredRevisions(Path.Combine(fixture.First.Folder, "no-such-root"), repository);
        missing.Should().Throw<RegistryException>().WithMessage("*no-such-root' does not exist*");
    }

    [Fact]
    public async Task Snapshot_of_a_registry_path_lists_lists_children_and_tagless_images_relative_to_the_prefix()
    {
        using var pool = fixture.NewPool();
        var client = pool.For(EngineFixture.Staging);
        var id = fixture.Unique("snap");
        var foo = await SeededFoo.PushAsync(client, $"{id}/foo", id);
        var bar = await TestImages.PushAsync(client, $"{id}/sub/bar", "latest", $"bar {id}");
        await client.PutManifestAsync($"{id}/sub/bar", "1.0", bar.Manifest, bar.MediaType);
        var gone = await TestImages.PushAsync(client, $"{id}/gone", "1.0", $"gone {id}");
        await client.DeleteManifestAsync($"{id}/gone", gone.Digest.Value);       // still in the catalog, no digests
        await TestImages.PushAsync(client, $"{id}-other/foo", "1.0", $"other {id}"); // shares the text prefix only

        var snapshot = await RegistrySnapshotter.TakeAsync(pool, $"{EngineFixture.Staging}/{id}");

        var expected = foo.SnapshotText("foo") +
                       "- name: sub/bar\n" +
                       "  dmap:\n" +
                       $"    \"{bar.Digest}\": [\"1.0\", \"latest\"]\n";
        snapshot.ToText().Should().Be(expected);
        Snapshot.Parse(expected, "snapshot").ToText().Should().Be(expected, "the text is a valid images.yaml");

        // Without the storage root the tagless image cannot be found (the index child still is, through the index).
        using var apiOnly = new RegistryPool(_ => new RegistryClientOptions { Insecure = true });
        apiOnly.Alias(EngineFixture.Staging, new RegistryEndpoint(fixture.First.Host));
        var partial = await RegistrySnapshotter.TakeAsync(apiOnly, $"{EngineFixture.Staging}/{id}/sub");
        partial.ToText().Should().Be($"- name: bar\n  dmap:\n    \"{bar.Digest}\": [\"1.0\", \"latest\"]\n");
        var withoutTagless = await RegistrySnapshotter.TakeAsync(apiOnly, $"{EngineFixture.Staging}/{id}");
        withoutTagless.Images.Single(i => i.Name == "foo").Dmap.Select(d => d.Digest)
            .Should().BeEquivalentTo(foo.Index.Value, foo.Amd64.Digest.Value, foo.S390x.Digest.Value);

        (await RegistrySnapshotter.TakeAsync(pool, $"{EngineFixture.Staging}/{id}/nothing-here")).ToText().Should().BeEmpty();
    }

    [Fact]
    public async Task Purger_empties_the_registry_path_and_nothing_else()
    {
        using var pool = fixture.NewPool();
        var client = pool.For(EngineFixture.Staging);
        var id = fixture.Unique("purge");
        var foo = await SeededFoo.PushAsync(client, $"{id}/foo", id);
        var nested = await TestImages.PushAsync(client, $"{id}/deep/er/bar", "1.0", $"bar {id}");
        await TestImages.PushAsync(client, $"{id}-keep/foo", "1.0", $"keep {id}");
        await SeededFoo.PushAsync(client, $"keep-{id}/foo", id);
        await TestImages.PushAsync(pool.For(EngineFixture.Production), $"{id}/foo", "1.0", $"other registry {id}");
        var keepSibling = (await RegistrySnapshotter.TakeAsync(pool, $"{EngineFixture.Staging}/{id}-keep")).ToText();
        var keepOther = (await RegistrySnapshotter.TakeAsync(pool, $"{EngineFixture.Staging}/keep-{id}")).ToText();
        var keepProduction = (await RegistrySnapshotter.TakeAsync(pool, $"{EngineFixture.Production}/{id}")).ToText();
        keepSibling.Should().NotBeEmpty();
        keepOther.Should().NotBeEmpty();
        keepProduction.Should().NotBeEmpty();

        var deleted = new List<string>();
        var name = $"{EngineFixture.Staging}/{id}";
        var result = await new RegistryPurger(pool, [name], log: deleted.Add).PurgeAsync(name);

        result.Should().Be(new PurgeResult(Repositories: 2, IndexesDeleted: 1, ManifestsDeleted: 4));
        deleted.Should().HaveCount(5);
        deleted.First(l => l.Contains($"/{id}/foo@")).Should().Contain(foo.Index.Value, "manifest lists go first");
        (await RegistrySnapshotter.TakeAsync(pool, name)).ToText().Should().BeEmpty();
        foreach (var digest in new[] { foo.Index, foo.Amd64.Digest, foo.S390x.Digest, foo.Tagless.Digest })
            (await client.HeadManifestAsync($"{id}/foo", digest.Value)).Should().BeNull();
        (await client.HeadManifestAsync($"{id}/deep/er/bar", nested.Digest.Value)).Should().BeNull();

        (await RegistrySnapshotter.TakeAsync(pool, $"{EngineFixture.Staging}/{id}-keep")).ToText().Should().Be(keepSibling);
        (await RegistrySnapshotter.TakeAsync(pool, $"{EngineFixture.Staging}/keep-{id}")).ToText().Should().Be(keepOther);
        (await RegistrySnapshotter.TakeAsync(pool, $"{EngineFixture.Production}/{id}")).ToText().Should().Be(keepProduction);

        var again = await new RegistryPurger(pool, [name]).PurgeAsync(name);
        again.Should().Be(new PurgeResult(0, 0, 0));
    }

    [Fact]
    public async Task Purger_refuses_the_whole_call_when_a_registry_is_not_in_the_allowed_set()
    {
        var created = new ConcurrentQueue<string>();
        using var pool = fixture.NewPool(created);
        var id = fixture.Unique("refuse");
        var allowed = $"{EngineFixture.Staging}/{id}/allowed";
        var notListed = $"{EngineFixture.Staging}/{id}";
        await TestImages.PushAsync(pool.For(EngineFixture.Staging), $"{id}/allowed/img", "1.0", $"allowed {id}");
        await TestImages.PushAsync(pool.For(EngineFixture.Staging), $"{id}/img", "1.0", $"not listed {id}");
        var before = (await RegistrySnapshotter.TakeAsync(pool, notListed)).ToText();
        before.Should().Contain("- name: allowed/img").And.Contain("- name: img");
        var clientsBefore = created.Count;

        var purger = new RegistryPurger(pool, [allowed]);
        var purge = () => purger.PurgeAsync([allowed, notListed]);

        var refused = (await purge.Should().ThrowAsync<PurgeRefusedException>()).Which;
        refused.Refusals.Should().ContainSingle().Which.Should()
            .Be($"refusing to purge registry '{notListed}': it is not one of the registries the test lists (allowed: {allowed}).");
        (await RegistrySnapshotter.TakeAsync(pool, notListed)).ToText().Should().Be(before, "the allowed registry was not touched either");
        created.Count.Should().Be(clientsBefore);

        // Exact names: a registry with the allowed name as a text prefix, or its parent, is another registry.
        purger.Check([$"{allowed}x", $"{allowed}/sub"]).Should().HaveCount(2);
        purger.Check([allowed]).Should().BeEmpty();
    }

    [Fact]
    public async Task Purger_refuses_a_non_loopback_registry_before_any_request()
    {
        var created = new ConcurrentQueue<string>();
        using var pool = fixture.NewPool(created);
        const string remote = "prod.example.com/k8s-artifacts";
        pool.Alias("prod.example.com", new RegistryEndpoint("192.0.2.1:5000")); // TEST-NET-1: never routed
        var local = $"{EngineFixture.Staging}/{fixture.Unique("loopback")}";

        var purger = new RegistryPurger(pool, [remote, local]);
        var purge = () => purger.PurgeAsync([local, remote]);

        var refused = (await purge.Should().ThrowAsync<PurgeRefusedException>()).Which;
        refused.Message.Should().Be(
            $"refusing to purge registry '{remote}': it is served from 192.0.2.1:5000, which is not a loopback address (set allowNonLoopback to purge a remote registry).");
        created.Should().BeEmpty("no client was created, so no request could have been sent to any registry");

        new RegistryPurger(pool, [remote], allowNonLoopback: true).Check([remote]).Should().BeEmpty();
        new RegistryPurger(pool, ["registry.k8s.io"]).Check(["registry.k8s.io"]).Should().ContainSingle()
            .Which.Should().Contain("'registry.k8s.io'").And.Contain("it is served from registry.k8s.io, which is not a loopback address");
        created.Should().BeEmpty();
    }
}
