using System.Text;
using Promoter.Promotion;
using Promoter.Yaml;

namespace Promoter.Releases;

/// <summary>
/// Writes the production promoter manifest of a release in the upstream CIP format (<c>manifests/README.md</c> §1):
/// the staging registry as <c>src: true</c>, each production registry as a destination, and per image
/// <c>dmap: {"&lt;digest&gt;": ["v&lt;version&gt;"]}</c>. The file is read back with <see cref="ManifestReader.Load"/>
/// and its edges computed, so a file that would not load or validate is never left as a success.
/// </summary>
public static class ReleaseManifestWriter
{
    /// <summary>The manifest text for <paramref name="staged"/> (no file is touched).</summary>
    /// <param name="version">The release version (the tag is <c>v&lt;version&gt;</c>).</param>
    /// <param name="commit">The released commit, recorded in the header comment.</param>
    /// <param name="stagingRegistry">The source registry name, <c>host[/prefix]</c>.</param>
    /// <param name="productionRegistries">The destination registry names (at least one).</param>
    /// <param name="staged">The staged images with their digests.</param>
    /// <exception cref="ArgumentException">No production registry, or a production registry equal to staging.</exception>
    public static string Render(ReleaseVersion version, string commit, string stagingRegistry,
        IReadOnlyList<string> productionRegistries, IReadOnlyList<StagedReleaseImage> staged)
    {
        if (productionRegistries.Count == 0)
            throw new ArgumentException("a release needs at least one production registry.", nameof(productionRegistries));
        if (productionRegistries.Contains(stagingRegistry, StringComparer.Ordinal))
            throw new ArgumentException($"production registry {stagingRegistry} is also the staging registry.", nameof(productionRegistries));

        var text = new StringBuilder();
        text.Append("# Release ").Append(version.Tag).Append(" of commit ").Append(commit).Append('\n');
        text.Append("# Written by ./build.sh --target PromoteRelease: staging (src) -> production, by digest.\n");
        text.Append("registries:\n");
        text.Append("- name: ").Append(Quote(stagingRegistry)).Append('\n');
        text.Append("  src: true\n");
        foreach (var production in productionRegistries)
            text.Append("- name: ").Append(Quote(production)).Append('\n');
        text.Append("images:\n");
        foreach (var image in staged.OrderBy(s => s.Definition.Repository, StringComparer.Ordinal))
        {
            text.Append("- name: ").Append(Quote(image.Definition.Repository)).Append('\n');
            text.Append("  dmap:\n");
            text.Append("    ").Append(Quote(image.Digest.Value)).Append(": [").Append(Quote(version.Tag)).Append("]\n");
        }
        return text.ToString();
    }

    /// <summary>Writes the manifest to <paramref name="path"/> (creating its folder), then loads and validates it.</summary>
    /// <returns>The manifest as <see cref="ManifestReader.Load"/> reads it.</returns>
    /// <exception cref="ArgumentException">As <see cref="Render"/>.</exception>
    /// <exception cref="InputFormatException">The written file does not validate (a registry name or tag the format refuses).</exception>
    public static PromoterManifest Write(string path, ReleaseVersion version, string commit, string stagingRegistry,
        IReadOnlyList<string> productionRegistries, IReadOnlyList<StagedReleaseImage> staged)
    {
        var text = Render(version, commit, stagingRegistry, productionRegistries, staged);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, text);
        var manifest = ManifestReader.Load(path);
        PromotionEdges.FromManifests([manifest]);
        return manifest;
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
