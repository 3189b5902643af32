using System.Diagnostics;
using FluentAssertions;
using Promoter.Inputs;
using Promoter.Promotion;
using Xunit;
using Promoter.Yaml;

namespace Promoter.Tests.Promotion;

/// <summary>
/// Bad-input suite, class "symbolic links in a thin-manifest directory": a link is followed only while it stays inside the
/// directory; one that leaves it (absolutely, relatively, or through another link) is an error naming the link and its
/// target, and nothing is loaded; a loop of links is one error naming it, found in bounded time.
/// </summary>
public sealed class ThinManifestLinkTests : IDisposable
{
    private static readonly string A = Digests.Of('a');
    private readonly TempTree _tree = new();
    private readonly string _dir;

    public ThinManifestLinkTests()
    {
        _dir = Path.Combine(_tree.Root, "thin");
        Project("foo", Path.Combine(_dir, "manifests", "foo"), Path.Combine(_dir, "images", "foo"));
    }

    public void Dispose() => _tree.Dispose();

    /// <summary>Writes a valid project: its thin manifest in <paramref name="manifestFolder"/>, its images.yaml in <paramref name="imagesFolder"/>.</summary>
    private static void Project(string name, string manifestFolder, string imagesFolder)
    {
        Directory.CreateDirectory(manifestFolder);
        Directory.CreateDirectory(imagesFolder);
        File.WriteAllText(Path.Combine(manifestFolder, ManifestReader.ThinManifestFileName),
            $"registries:\n- name: 127.0.0.1:5000/stg/{name}\n  src: true\n- name: 127.0.0.1:5000/prod/{name}\n");
        File.WriteAllText(Path.Combine(imagesFolder, ManifestReader.ImagesFileName), $"- name: {name}\n  dmap:\n    \"{A}\": [\"1.0\"]\n");
    }

    private string Outside(string name)
    {
        var folder = Path.Combine(_tree.Root, "outside", name);
        Project(name, folder, folder);
        return folder;
    }

    private string In(params string[] parts) => Path.Combine([_dir, .. parts]);

    private InputFormatException Refused()
    {
        var load = () => ManifestReader.LoadThinDirectory(_dir);
        return load.Should().Throw<InputFormatException>().Which;
    }

    [Fact]
    public void A_project_folder_linked_from_outside_is_refused_naming_the_link_and_its_target()
    {
        var outside = Outside("evil");
        Directory.CreateSymbolicLink(In("manifests", "evil"), outside);

        Refused().Errors.Should().ContainSingle().Which.ToString().Should()
            .Be($"{In("manifests", "evil")}: a symbolic link to '{outside}' ({outside}), which leaves {_dir}; not followed");
    }

    [Fact]
    public void An_images_file_linked_from_outside_is_refused()
    {
        var outside = Outside("foo");
        var link = In("images", "foo", ManifestReader.ImagesFileName);
        File.Delete(link);
        File.CreateSymbolicLink(link, Path.Combine(outside, ManifestReader.ImagesFileName));

        Refused().Errors.Should().ContainSingle().Which.ToString().Should()
            .StartWith($"{link}: a symbolic link to '{outside}/images.yaml'").And.EndWith($"which leaves {_dir}; not followed");
    }

    [Fact]
    public void An_images_folder_of_a_project_linked_outside_with_a_relative_target_is_refused()
    {
        Outside("foo");
        Directory.Delete(In("images", "foo"), recursive: true);
        Directory.CreateSymbolicLink(In("images", "foo"), "../../outside/foo");

        var error = Refused().Errors.Should().ContainSingle().Subject;
        error.At.File.Should().Be(In("images", "foo"));
        error.Message.Should().Be($"a symbolic link to '../../outside/foo' ({Path.Combine(_tree.Root, "outside", "foo")}), which leaves {_dir}; not followed");
    }

    [Fact]
    public void The_manifests_folder_itself_linked_outside_is_refused()
    {
        var outside = Path.Combine(_tree.Root, "outside-manifests");
        Project("foo", Path.Combine(outside, "foo"), In("images", "foo"));
        Directory.Delete(In("manifests"), recursive: true);
        Directory.CreateSymbolicLink(In("manifests"), outside);

        Refused().Errors.Should().ContainSingle().Which.ToString().Should().StartWith($"{In("manifests")}: a symbolic link to '{outside}'");
    }

    [Fact]
    public void A_target_that_reads_as_inside_but_resolves_outside_through_another_link_is_refused()
    {
        // thin/escape -> outside/deep/down; the target text "../escape/.." reads as thin/, but ".." after a link goes up
        // from where the link led: outside/deep.
        var deep = Directory.CreateDirectory(Path.Combine(_tree.Root, "outside", "deep", "down")).FullName;
        Directory.CreateSymbolicLink(In("escape"), deep);
        Directory.CreateSymbolicLink(In("manifests", "sneaky"), "../escape/..");

        var messages = Refused().Errors.Select(e => e.ToString()).ToList();
        messages.Should().Contain($"{In("manifests", "sneaky")}: a symbolic link to '../escape/..' ({Path.GetDirectoryName(deep)}), which leaves {_dir}; not followed");
    }

    [Fact]
    public void Links_that_stay_inside_are_followed()
    {
        Project("bar", In("common", "bar-manifest"), In("common", "bar-images"));
        Directory.CreateSymbolicLink(In("manifests", "bar"), "../common/bar-manifest");
        Directory.CreateDirectory(In("images", "bar"));
        File.CreateSymbolicLink(In("images", "bar", ManifestReader.ImagesFileName), In("common", "bar-images", ManifestReader.ImagesFileName));

        var set = ManifestReader.LoadThinDirectory(_dir);

        set.Manifests.Select(m => m.Project).Should().Equal("bar", "foo");
        set.Manifests[0].Source.Name.Should().Be("127.0.0.1:5000/stg/bar");
    }

    [Fact]
    public void A_link_to_itself_is_one_error_naming_it()
    {
        Directory.CreateSymbolicLink(In("manifests", "loop"), "loop");

        var errors = Refused().Errors;
        errors.Should().ContainSingle().Which.ToString().Should()
            .Be($"{In("manifests", "loop")}: a symbolic link to 'loop' that starts a loop of symbolic links ({In("manifests", "loop")}); not followed");
    }

    [Fact]
    public void Links_back_to_an_enclosing_folder_are_loops_reported_once_each_in_bounded_time()
    {
        // Followed naively, twelve links to enclosing folders make a tree of 12^depth paths (until ELOOP or PATH_MAX).
        for (var i = 0; i < 6; i++)
        {
            Directory.CreateSymbolicLink(In("manifests", "foo", $"up{i}"), "..");
            Directory.CreateSymbolicLink(In("manifests", $"top{i}"), _dir);
        }
        var clock = Stopwatch.StartNew();

        var errors = Refused().Errors;

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        errors.Should().HaveCount(12).And.OnlyContain(e => e.Message.Contains("a folder that contains it: a loop; not followed"));
        errors.Select(e => e.At.File).Should().OnlyHaveUniqueItems().And.Contain(In("manifests", "foo", "up0")).And.Contain(In("manifests", "top5"));
    }

    [Fact]
    public void Two_folders_linked_to_each_other_are_a_loop_found_once()
    {
        Directory.CreateSymbolicLink(In("manifests", "to-images"), "../images");
        Directory.CreateSymbolicLink(In("images", "to-manifests"), "../manifests");
        var clock = Stopwatch.StartNew();

        var errors = Refused().Errors;

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        errors.Should().ContainSingle().Which.ToString().Should().StartWith($"{In("manifests", "to-images", "to-manifests")}: a symbolic link to '../manifests'")
            .And.Contain("a folder that contains it: a loop");
    }

    [Fact]
    public void A_chain_of_two_links_pointing_at_each_other_names_both()
    {
        Directory.CreateSymbolicLink(In("manifests", "ping"), "pong");
        Directory.CreateSymbolicLink(In("manifests", "pong"), "ping");

        var errors = Refused().Errors.Select(e => e.At.File).ToList();

        errors.Should().Equal(In("manifests", "ping"), In("manifests", "pong"));
    }

    [Fact]
    public void An_absolute_link_to_a_system_folder_is_refused()
    {
        Directory.CreateSymbolicLink(In("manifests", "etc"), "/etc");

        Refused().Errors.Should().ContainSingle().Which.ToString().Should().Be($"{In("manifests", "etc")}: a symbolic link to '/etc' (/etc), which leaves {_dir}; not followed");
    }

    [Fact]
    public void The_real_path_resolves_links_component_by_component()
    {
        Directory.CreateSymbolicLink(In("deep"), In("images", "foo"));

        ConfinedDirectory.RealPath(In("deep", "..", "..", "manifests"), out var loop).Should().Be(In("manifests"));
        loop.Should().BeNull();
        new ConfinedDirectory(_dir).Escape(In("deep", ManifestReader.ImagesFileName)).Should().BeNull();
    }
}
