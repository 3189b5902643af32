using System.Security.Cryptography;
using System.Text;

namespace Build.Tests.Harness;

/// <summary>
/// The build program as build.sh publishes it (<c>.build/bin/Build.dll</c>, ReadyToRun), and the fingerprint of the
/// sources it is compiled from, computed as build.sh and build.ps1 compute it.
/// </summary>
/// <remarks>
/// A child process of the tests starts about a quarter faster from the ReadyToRun program than from the IL-only Build.dll
/// beside the tests (0.45 s against 0.6 s of CPU for a promotion that finds nothing to do), and Build.Tests starts a few
/// hundred. It is used only when build.sh's stamp holds the fingerprint of the sources as they are now: then it was
/// compiled from exactly the sources the Build.dll beside the tests was compiled from.
/// </remarks>
internal static class PublishedProgram
{
    /// <summary>Files named by path whatever their extension (build.sh's <c>named</c>).</summary>
    private static readonly string[] Named = ["global.json", "Directory.Build.props", "Directory.Packages.props", "VERSION"];

    private static readonly string[] Extensions = [".cs", ".csproj", ".props", ".json"];

    /// <summary>
    /// <c>root/.build/bin/Build.dll</c> when it exists and <c>root/.build/sources.sha256</c> holds
    /// <see cref="Fingerprint"/> of <paramref name="root"/>; else null.
    /// </summary>
    public static string? Current(string root)
    {
        var program = Path.Combine(root, ".build", "bin", "Build.dll");
        var stamp = Path.Combine(root, ".build", "sources.sha256");
        if (!File.Exists(program) || !File.Exists(stamp)) return null;
        return File.ReadAllText(stamp) == Fingerprint(root) + "\n" ? program : null;
    }

    /// <summary>
    /// The fingerprint build.sh writes to its stamp: the sha256 (64 lower-case hex digits) of the lines
    /// <c>"&lt;sha256 of the file&gt;  &lt;path&gt;\n"</c>, one per source file - the regular files under <c>build/</c>
    /// (outside bin/ and obj/) named <c>*.cs</c>, <c>*.csproj</c>, <c>*.props</c> or <c>*.json</c>, and the named files
    /// at the root that exist - with paths relative to <paramref name="root"/> and sorted by their bytes.
    /// </summary>
    public static string Fingerprint(string root)
    {
        var files = Named.Where(name => File.Exists(Path.Combine(root, name))).ToList();
        var build = new DirectoryInfo(Path.Combine(root, "build"));
        if (build.Exists) Collect(build, "build", files);
        var text = new StringBuilder();
        // By UTF-8 bytes, as LC_ALL=C sort: UTF-16 order differs once a path holds a character above U+FFFF.
        foreach (var file in files.OrderBy(Encoding.UTF8.GetBytes, Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b))))
            text.Append(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(root, file))))).Append("  ").Append(file).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static void Collect(DirectoryInfo folder, string relative, List<string> files)
    {
        foreach (var entry in folder.EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is not null) continue; // find -H build: links below build/ are not followed, nor are they regular files
            var path = relative + "/" + entry.Name;
            if (entry is DirectoryInfo child)
            {
                if (child.Name is not ("bin" or "obj")) Collect(child, path, files);
            }
            else if (Extensions.Contains(Path.GetExtension(entry.Name), StringComparer.Ordinal))
            {
                files.Add(path);
            }
        }
    }
}
