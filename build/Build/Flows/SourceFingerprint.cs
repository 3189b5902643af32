using System.Security.Cryptography;
using System.Text;

namespace Build.Flows;

/// <summary>
/// A sha256 over the relative paths and contents of the files a step is built from, kept in a stamp file under
/// <c>.build/</c> after the step succeeds. A step whose fingerprint equals its stamp is up to date and is skipped
/// (a task criterion), which keeps warm runs of E2E free of MSBuild's own start-up.
/// </summary>
public sealed class SourceFingerprint
{
    private static readonly string[] Extensions = [".cs", ".csproj", ".props", ".targets", ".json", ".slnx", ".yaml"];

    private SourceFingerprint(string value) => Value = value;

    /// <summary>The fingerprint: 64 lower-case hex characters.</summary>
    public string Value { get; }

    /// <summary>
    /// Fingerprints every source file (by extension: .cs, .csproj, .props, .targets, .json, .slnx, .yaml) under the
    /// folders of <paramref name="roots"/>, skipping bin/ and obj/, and every file <paramref name="roots"/> names itself
    /// whatever its extension (e.g. <c>VERSION</c>); paths are relative to <paramref name="repositoryRoot"/>.
    /// </summary>
    public static SourceFingerprint Compute(string repositoryRoot, IEnumerable<string> roots)
    {
        var files = roots
            .Select(r => Path.Combine(repositoryRoot, r))
            .SelectMany(path => Directory.Exists(path)
                ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(f => Extensions.Contains(Path.GetExtension(f)))
                : File.Exists(path) ? [path] : [])
            .Select(f => Path.GetRelativePath(repositoryRoot, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(part => part is "bin" or "obj"))
            .Distinct()
            .Order(StringComparer.Ordinal);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file + "\n"));
            hash.AppendData(SHA256.HashData(File.ReadAllBytes(Path.Combine(repositoryRoot, file))));
        }
        return new SourceFingerprint(Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>True when <paramref name="stampFile"/> holds this fingerprint.</summary>
    public bool Matches(string stampFile) => File.Exists(stampFile) && File.ReadAllText(stampFile).Trim() == Value;

    /// <summary>Writes this fingerprint to <paramref name="stampFile"/> (folder created).</summary>
    public void Save(string stampFile)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(stampFile)!);
        File.WriteAllText(stampFile, Value + "\n");
    }
}
