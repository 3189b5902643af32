using Cake.Core.Diagnostics;
using Promoter.Images;
using Spectre.Console;

namespace Build.Flows;

/// <summary>
/// Shows push progress: a Spectre.Console progress bar per image on an interactive terminal, plain log lines in CI
/// (output redirected, or the <c>CI</c> variable set).
/// </summary>
public static class PushProgressDisplay
{
    /// <summary>Runs <paramref name="push"/> while showing its progress for <paramref name="images"/>.</summary>
    public static T Run<T>(ICakeLog log, IEnumerable<string> images, Func<IProgress<ImagePushProgress>, Task<T>> push)
    {
        var interactive = !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))
                          && log.Verbosity >= Verbosity.Normal;
        if (!interactive)
        {
            var plain = new SynchronousProgress(p =>
            {
                if (p.Done) log.Information("pushed {0}", p.Image);
            });
            return push(plain).GetAwaiter().GetResult();
        }

        return AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn())
            .StartAsync(async ui =>
            {
                var bars = images.ToDictionary(i => i, i => ui.AddTask(i, autoStart: true, maxValue: 1));
                var progress = new SynchronousProgress(p =>
                {
                    if (!bars.TryGetValue(p.Image, out var bar)) bars[p.Image] = bar = ui.AddTask(p.Image, maxValue: 1);
                    if (p.BytesTotal > 0) { bar.MaxValue = p.BytesTotal; bar.Value = p.BytesDone; }
                    if (p.Done) { bar.Value = bar.MaxValue; bar.StopTask(); }
                });
                return await push(progress);
            }).GetAwaiter().GetResult();
    }

    /// <summary>
    /// An <see cref="IProgress{T}"/> that reports on the caller's thread (no synchronization context hop), one report at a
    /// time: images are pushed concurrently.
    /// </summary>
    private sealed class SynchronousProgress(Action<ImagePushProgress> report) : IProgress<ImagePushProgress>
    {
        private readonly Lock _gate = new();

        public void Report(ImagePushProgress value)
        {
            lock (_gate) report(value);
        }
    }
}
