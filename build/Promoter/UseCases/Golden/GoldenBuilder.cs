using Promoter.Inputs;
using Promoter.Oci;
using Promoter.Archives;

namespace Promoter.Golden;

/// <summary>
/// Builds the archives of a golden set from source (every image with a <c>build:</c> section, see <see cref="GoldenSet"/>)
/// with <see cref="DockerSaveWriter"/>, and verifies committed archives against a fresh build. Images without a
/// <c>build:</c> section are committed only and are neither written nor compared.
/// </summary>
public static class GoldenBuilder
{
    /// <summary>
    /// The <see cref="DockerSaveImage"/> that <paramref name="image"/>'s <c>build:</c> section describes, with the source
    /// files read now: architecture, os and variant from <see cref="GoldenSetImage.Platform"/>, the time zone of the v1
    /// records from <see cref="GoldenSetBuild.SavedInTimeZone"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The image has no <c>build:</c> section.</exception>
    /// <exception cref="IOException">A source file cannot be read.</exception>
    public static DockerSaveImage ToGoldenImage(GoldenSetImage image)
    {
        var build = image.Build ?? throw new ArgumentException($"Golden image '{image.Name}' has no build section; its archive {image.Archive} is committed only.", nameof(image));
        var layers = build.Layers
            .Select(l => new LayerSpec(l.Files.Select(f => new LayerFile(f.Path, InputFile.ReadAllBytes(f.SourcePath, InputFile.MaxInMemoryBytes), f.Mode)).ToList()))
            .ToList();
        return new DockerSaveImage(layers, image.Platform.Architecture, build.RepoTags, image.Platform.Os,
            build.Author, build.CreatedBy, image.Platform.Variant, SavedInTimeZone: build.SavedInTimeZone);
    }

    /// <summary>
    /// Writes every archive of <paramref name="set"/> that has a <c>build:</c> section to
    /// <c>&lt;outputFolder&gt;/&lt;archive&gt;</c> (creating folders, replacing files), in file order. The same set and
    /// sources always give the same bytes.
    /// </summary>
    /// <param name="set">The golden set.</param>
    /// <param name="outputFolder">The folder the archive paths are relative to (usually <see cref="GoldenSet.ArchiveRoot"/>).</param>
    /// <returns>One entry per written archive, with its sha256 and size.</returns>
    /// <exception cref="IOException">A source file cannot be read or an archive cannot be written.</exception>
    /// <exception cref="ArgumentException">The writer rejects the image (see <see cref="DockerSaveWriter.Write(DockerSaveImage, string)"/>).</exception>
    public static IReadOnlyList<GoldenBuiltArchive> Build(GoldenSet set, string outputFolder)
    {
        var result = new List<GoldenBuiltArchive>();
        foreach (var image in set.Images.Where(i => i.Build is not null))
        {
            var path = Path.Combine(Path.GetFullPath(outputFolder), image.Archive);
            DockerSaveWriter.Write(ToGoldenImage(image), path);
            using var stream = File.OpenRead(path);
            var sha256 = Digest.FromHash(System.Security.Cryptography.SHA256.HashData(stream));
            result.Add(new GoldenBuiltArchive(image.Name, Normalize(image.Archive), path, sha256, stream.Length));
        }
        return result;
    }

    /// <summary>
    /// Rebuilds the set into a temporary folder (deleted afterwards) and compares it with <paramref name="committedFolder"/>,
    /// which is only read. Reports each built archive that is missing or whose bytes differ, and each file under
    /// <paramref name="committedFolder"/> (recursively) that is neither built nor the archive of a committed-only image.
    /// </summary>
    /// <param name="set">The golden set.</param>
    /// <param name="committedFolder">The folder holding the committed archives (usually <see cref="GoldenSet.ArchiveRoot"/>).</param>
    /// <returns>The differences, ordered by archive path; empty when the committed archives equal a fresh build.</returns>
    /// <exception cref="IOException">A source or committed file cannot be read, or the temporary folder cannot be written.</exception>
    public static IReadOnlyList<GoldenDifference> Verify(GoldenSet set, string committedFolder)
    {
        var committedRoot = Path.GetFullPath(committedFolder);
        var temp = Path.Combine(Path.GetTempPath(), "golden-verify-" + Guid.NewGuid().ToString("N"));
        try
        {
            var built = Build(set, temp);
            var differences = new List<GoldenDifference>();
            foreach (var archive in built)
            {
                var committed = Path.Combine(committedRoot, archive.Archive);
                if (!File.Exists(committed))
                {
                    differences.Add(new GoldenDifference(archive.Archive, GoldenDifferenceKind.Missing, null, null, archive.Size));
                    continue;
                }
                var (offset, committedSize) = FirstDifference(committed, archive.Path);
                if (offset is not null)
                    differences.Add(new GoldenDifference(archive.Archive, GoldenDifferenceKind.Differs, offset, committedSize, archive.Size));
            }

            var expected = new HashSet<string>(built.Select(b => b.Archive), StringComparer.Ordinal);
            expected.UnionWith(set.Images.Where(i => i.Build is null).Select(i => Normalize(i.Archive)));
            if (Directory.Exists(committedRoot))
            {
                foreach (var file in Directory.EnumerateFiles(committedRoot, "*", SearchOption.AllDirectories))
                {
                    var relative = Normalize(Path.GetRelativePath(committedRoot, file));
                    if (!expected.Contains(relative))
                        differences.Add(new GoldenDifference(relative, GoldenDifferenceKind.Extra, null, new FileInfo(file).Length, null));
                }
            }
            return differences.OrderBy(d => d.Archive, StringComparer.Ordinal).ThenBy(d => d.Kind).ToList();
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>The offset of the first differing byte (null when equal) and the size of <paramref name="committed"/>.</summary>
    private static (long? Offset, long CommittedSize) FirstDifference(string committed, string built)
    {
        using var a = File.OpenRead(committed);
        using var b = File.OpenRead(built);
        var bufferA = new byte[81920];
        var bufferB = new byte[81920];
        long position = 0;
        while (true)
        {
            var readA = a.ReadAtLeast(bufferA, bufferA.Length, throwOnEndOfStream: false);
            var readB = b.ReadAtLeast(bufferB, bufferB.Length, throwOnEndOfStream: false);
            var common = Math.Min(readA, readB);
            var mismatch = bufferA.AsSpan(0, common).CommonPrefixLength(bufferB.AsSpan(0, common));
            if (mismatch < common) return (position + mismatch, a.Length);
            if (readA != readB) return (position + common, a.Length);
            if (readA == 0) return (null, a.Length);
            position += readA;
        }
    }

    private static string Normalize(string relative) => relative.Replace('\\', '/');
}
