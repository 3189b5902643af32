using Build.Tests.Harness;
using FluentAssertions;
using Promoter.Tests.Support;
using Xunit;

namespace Build.Tests.Tasks.Promote;

/// <summary>
/// A thin-manifest directory with one bad field of images.yaml (a tag, a digest, an image name) next to a good project,
/// promoted with --confirm against a real Distribution process: refused at load with <c>file:line: field</c>, and
/// nothing reaches the destination (issue 22, item 2).
/// </summary>
public sealed class ThinManifestValidationTests() : SeededRegistryTest("thin-validation-")
{
    private const string Bar = GoldenDigests.Upstream.Bar;

    [Theory]
    [InlineData("bar", Bar, "-bad", 3, $"[0].dmap[\"{Bar}\"][0]", "'-bad' is not a tag")]
    [InlineData("bar", "sha256:07bfc230", "1.0", 3, "[0].dmap", "'sha256:07bfc230' is not a digest")]
    [InlineData("Bar", Bar, "1.0", 1, "[0].name", "'Bar' is not an image name")]
    public void A_bad_field_of_images_yaml_is_refused_before_any_write(string image, string digest, string tag, int line, string field, string message)
    {
        var dir = Path.Combine(Folder, Guid.NewGuid().ToString("N"));
        // "a-good" sorts first: under the old loader its copy was written before the bad project failed.
        Write(dir, "a-good", "bar", Bar, "good");
        var imagesFile = Write(dir, "b-bad", image, digest, tag);

        var result = BuildProgram.Run("--target", "Promote", $"--thin-manifest-dir={dir}", "--confirm");

        result.ExitCode.Should().NotBe(0, result.Output);
        result.Output.Should().Contain($"{imagesFile}:{line}: {field}: {message}");
        var destination = Path.Combine(Seeded.StorageRoot, "docker", "registry", "v2", "repositories", "prod");
        Directory.Exists(destination).Should().BeFalse("nothing may be written to the destination: " + result.Output);
    }

    private string Write(string dir, string project, string image, string digest, string tag)
    {
        Directory.CreateDirectory(Path.Combine(dir, "manifests", project));
        Directory.CreateDirectory(Path.Combine(dir, "images", project));
        File.WriteAllText(Path.Combine(dir, "manifests", project, "promoter-manifest.yaml"), $"""
            registries:
            - name: {Seeded.Host}/stg/golden-bar
              src: true
            - name: {Seeded.Host}/prod
            """);
        var images = Path.Combine(dir, "images", project, "images.yaml");
        File.WriteAllText(images, $"""
            - name: {image}
              dmap:
                "{digest}": ["{tag}"]
            """);
        return images;
    }
}
