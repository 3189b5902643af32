using System.Text.RegularExpressions;
using Promoter.Oci;

/// <summary>One image of the generated set as the promoter manifest's <c>images:</c> section names it.</summary>
/// <param name="Name">The image name (the repository under the source and destination prefixes).</param>
/// <param name="Digest">The digest the tags point at (an image manifest or an index).</param>
/// <param name="Tags">The tags to promote.</param>
internal sealed record GeneratedImage(string Name, Digest Digest, IReadOnlyList<string> Tags);

/// <summary>Reads the <c>images:</c> section ScaleGen writes (one digest per image), for the load probes.</summary>
internal static partial class ImageList
{
    /// <summary>The images of <paramref name="path"/> in file order.</summary>
    /// <exception cref="FormatException">A digest line names an invalid digest.</exception>
    public static List<GeneratedImage> Read(string path)
    {
        var images = new List<GeneratedImage>();
        string? name = null;
        foreach (var line in File.ReadLines(path))
        {
            if (NameLine().Match(line) is { Success: true } n) { name = n.Groups[1].Value; continue; }
            if (DigestLine().Match(line) is not { Success: true } d || name is null) continue;
            images.Add(new GeneratedImage(name, Digest.Parse(d.Groups[1].Value),
                TagItem().Matches(d.Groups[2].Value).Select(m => m.Groups[1].Value).ToList()));
        }
        return images;
    }

    [GeneratedRegex(@"^- name: (\S+)$")]
    private static partial Regex NameLine();

    [GeneratedRegex(@"^\s+""(sha256:[0-9a-f]{64})"": \[(.*)\]$")]
    private static partial Regex DigestLine();

    [GeneratedRegex(@"""([^""]+)""")]
    private static partial Regex TagItem();
}
