using Build.Host;
using Cake.Core;
using Cake.Core.Diagnostics;
using Promoter.Images;

namespace Build.Tasks;

/// <summary>The <c>ContainerizeGolden</c> task: rebuilds the golden image archives under images/golden from source, byte for byte (--verify checks them).</summary>
[TaskName("ContainerizeGolden")]
[TaskDescription("Rebuilds the golden image archives under images/golden from source, byte for byte (--verify checks them).")]
public sealed class ContainerizeGoldenTask : FrostingTask<BuildContext>
{
    /// <inheritdoc />
    public override void Run(BuildContext context)
    {
        var settings = context.Settings.Golden;
        var file = settings.SetFile;
        GoldenSet set;
        try { set = GoldenSet.Load(file); }
        catch (GoldenSetException e) { throw new CakeException(e.Message); }

        if (settings.Verify)
        {
            var differences = GoldenBuilder.Verify(set, set.ArchiveRoot);
            if (differences.Count > 0)
                throw new CakeException($"golden archives under {set.ArchiveRoot} differ from a fresh build of {file} " +
                    $"({differences.Count} difference(s); run ContainerizeGolden without --verify and commit the result):" +
                    string.Concat(differences.Select(d => System.Environment.NewLine + "  " + d)));
            context.Log.Information("golden archives verified: {0} files identical", set.Images.Count(i => i.Build is not null));
            return;
        }

        foreach (var archive in GoldenBuilder.Build(set, set.ArchiveRoot))
            context.Log.Information("{0} {1} ({2} bytes)", archive.Sha256, archive.Path, archive.Size);
    }
}
