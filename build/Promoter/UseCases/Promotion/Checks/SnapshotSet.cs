using Promoter.Registry;

namespace Promoter.Promotion.Checks;

/// <summary>
/// The committed snapshots of an offline check, one per registry: which snapshot covers a repository. A snapshot of
/// <c>R</c> covers every repository below <c>R</c> (a snapshot of <c>us.gcr.io/prod</c> covers <c>us.gcr.io/prod/cip/foo</c>,
/// as image <c>cip/foo</c>); the longest covering registry wins.
/// </summary>
public sealed class SnapshotSet
{
    /// <summary>The snapshots.</summary>
    /// <exception cref="ArgumentException">Two snapshots of one registry.</exception>
    public SnapshotSet(IReadOnlyList<RegistrySnapshotFile> files)
    {
        foreach (var twice in files.GroupBy(f => f.Registry, StringComparer.Ordinal).Where(g => g.Count() > 1))
            throw new ArgumentException($"two snapshots of {twice.Key}: {string.Join(" and ", twice.Select(f => f.File))}; give one per registry.", nameof(files));
        Files = files;
    }

    /// <summary>The snapshots, as given.</summary>
    public IReadOnlyList<RegistrySnapshotFile> Files { get; }

    /// <summary>What the snapshot covering <paramref name="registry"/>/<paramref name="image"/> holds there; null when no snapshot covers it.</summary>
    public SnapshotHolding? Find(string registry, string image)
    {
        var repository = (RegistryPath.TryParse(registry, out var path, out _) ? path.ToString() : registry.TrimEnd('/')) + "/" + image;
        var file = Files.Where(f => repository.StartsWith(f.Registry + "/", StringComparison.Ordinal)).MaxBy(f => f.Registry.Length);
        if (file is null) return null;
        var relative = repository[(file.Registry.Length + 1)..];
        return new SnapshotHolding(file, relative, file.Contents.Images.FirstOrDefault(i => string.Equals(i.Name, relative, StringComparison.Ordinal)));
    }
}
