using Build.Host;
using Cake.Core;
using Cake.Core.Diagnostics;
using Promoter.Images;

namespace Build.Tasks;

/// <summary>
/// The <c>ContainerizeGolden</c> task: rebuilds the golden image archives of the repository's golden sets (the project's
/// under images/golden, upstream CIP's under images/golden/upstream; or only the set <c>--golden</c> names) from source,
/// byte for byte; <c>--verify</c> checks the committed archives instead and fails listing every difference.
/// </summary>
[TaskName("ContainerizeGolden")]
[TaskDescription("Rebuilds the golden image archives under images/golden (the project's and upstream's sets) from source, byte for byte (--verify checks them).")]
public sealed class ContainerizeGoldenTask : FrostingTask<BuildContext>
{
    /// <inheritdoc />
    public override void Run(BuildContext context)
    {
        var sets = new List<GoldenSet>();
        foreach (var file in context.ContainerizedGoldenSets)
        {
            try { sets.Add(GoldenSet.Load(file.FullPath)); }
            catch (GoldenSetException e) { throw new CakeException(e.Message); }
        }

        if (context.Flag("verify"))
        {
            var failures = new List<string>();
            foreach (var set in sets)
            {
                var differences = GoldenBuilder.Verify(set, set.ArchiveRoot);
                if (differences.Count > 0)
                {
                    failures.Add($"golden archives under {set.ArchiveRoot} differ from a fresh build of {set.File} ({differences.Count} difference(s)):" +
                        string.Concat(differences.Select(d => System.Environment.NewLine + "  " + d)));
                    continue;
                }
                context.Log.Information("golden archives verified: {0} files identical to a fresh build of {1}", set.Images.Count(i => i.Build is not null), set.File);
            }
            if (failures.Count > 0)
                throw new CakeException(string.Join(System.Environment.NewLine, failures) + System.Environment.NewLine +
                    "Run ContainerizeGolden without --verify and commit the result.");
            return;
        }

        foreach (var set in sets)
        {
            foreach (var archive in GoldenBuilder.Build(set, set.ArchiveRoot))
                context.Log.Information("{0} {1} ({2} bytes)", archive.Sha256, archive.Path, archive.Size);
        }
    }
}
