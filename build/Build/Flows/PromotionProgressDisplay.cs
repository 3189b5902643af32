using Cake.Core.Diagnostics;
using Promoter.Promotion.Engine;
using Spectre.Console;

namespace Build.Flows;

/// <summary>
/// Shows a running promotion's <see cref="PromotionProgress"/>: on an interactive terminal a Spectre.Console live display,
/// one bar per phase (plan, execute) redrawn in place with its counts, requests per second and ETA; otherwise (output
/// redirected, <c>CI</c> or <c>NO_COLOR</c> set, or verbosity below normal) a plain <c>progress:</c> line when
/// <see cref="ProgressLines.Due"/> says so. The promotion's log lines go through <see cref="Write"/>, so that they are
/// printed above the live display instead of through it.
/// </summary>
public sealed class PromotionProgressDisplay
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan PlainPoll = TimeSpan.FromSeconds(1);
    private readonly ICakeLog _log;
    private readonly bool _live;
    private volatile bool _liveActive;
    private readonly Lock _gate = new();

    /// <summary>A display writing to <paramref name="log"/>; live only when <paramref name="live"/>.</summary>
    public PromotionProgressDisplay(ICakeLog log, bool live)
    {
        _log = log;
        _live = live;
    }

    /// <summary>
    /// True when a live display fits: standard output is a terminal, neither <c>CI</c> nor <c>NO_COLOR</c> is set (in
    /// <paramref name="environment"/>) and <paramref name="log"/> shows information lines.
    /// </summary>
    public static bool Fits(ICakeLog log, IReadOnlyDictionary<string, string> environment) =>
        !Console.IsOutputRedirected && !IsSet(environment, "CI") && !IsSet(environment, "NO_COLOR") && log.Verbosity >= Verbosity.Normal;

    private static bool IsSet(IReadOnlyDictionary<string, string> environment, string name) =>
        environment.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value);

    /// <summary>Writes one promotion log line: above the live display while it runs, else to the Cake log.</summary>
    public void Write(PromotionLogLevel level, string line)
    {
        if (!_liveActive)
        {
            switch (level)
            {
                case PromotionLogLevel.Warning: _log.Warning(line); break;
                case PromotionLogLevel.Detail: _log.Verbose(line); break;
                default: _log.Information(line); break;
            }
            return;
        }
        if (level == PromotionLogLevel.Detail && _log.Verbosity < Verbosity.Verbose) return;
        var text = Markup.Escape(line);
        AnsiConsole.MarkupLine(level == PromotionLogLevel.Warning ? $"[yellow]{text}[/]" : text);
    }

    /// <summary>Runs <paramref name="run"/> (the pipeline fed with <paramref name="progress"/>) while showing its progress.</summary>
    public T Run<T>(PromotionProgress progress, Func<Task<T>> run) =>
        _live ? RunLive(progress, run) : RunPlain(progress, run);

    private static bool Shown(PromotionPhase phase) => phase is PromotionPhase.Plan or PromotionPhase.Execute;

    private T RunPlain<T>(PromotionProgress progress, Func<Task<T>> run)
    {
        PromotionPhase? phase = null;
        ProgressMark? last = null;
        void Consider(PromotionProgressSnapshot now)
        {
            if (!Shown(now.Phase)) return;
            if (phase != now.Phase)
            {
                phase = now.Phase;
                last = null;
            }
            if (!ProgressLines.Due(now, last)) return;
            _log.Information(ProgressLines.Line(now, ProgressLines.RequestRate(now, last)));
            last = ProgressMark.Of(now);
        }
        progress.PhaseEnded = ended =>
        {
            lock (_gate) Consider(ended);
        };
        var task = Task.Run(run);
        // WaitAny, not Wait: a faulted run's exception must come out as it was thrown, not wrapped in an AggregateException.
        while (Task.WaitAny([task], PlainPoll) < 0)
        {
            var now = progress.Snapshot();
            if (now is null || now.Ended) continue;
            lock (_gate) Consider(now);
        }
        return task.GetAwaiter().GetResult();
    }

    private T RunLive<T>(PromotionProgress progress, Func<Task<T>> run)
    {
        var ended = new System.Collections.Concurrent.ConcurrentQueue<PromotionProgressSnapshot>();
        progress.PhaseEnded = ended.Enqueue;
        return AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async ui =>
            {
                var bars = new Dictionary<PromotionPhase, ProgressTask>();
                var marks = new Dictionary<PromotionPhase, ProgressMark>();
                void Show(PromotionProgressSnapshot now)
                {
                    if (!Shown(now.Phase)) return;
                    if (!bars.TryGetValue(now.Phase, out var bar))
                        bars[now.Phase] = bar = ui.AddTask(now.Phase.ToString().ToLowerInvariant(), autoStart: true, maxValue: Math.Max(1, now.Total));
                    // The rate over the last two seconds or so: a window that moves, not the phase's average.
                    ProgressMark? mark = marks.TryGetValue(now.Phase, out var m) ? m : null;
                    var rate = ProgressLines.RequestRate(now, mark);
                    if (mark is null || now.Elapsed - mark.Value.At >= TimeSpan.FromSeconds(2)) marks[now.Phase] = ProgressMark.Of(now);
                    bar.MaxValue = Math.Max(1, now.Total);
                    bar.Value = now.Total == 0 && now.Ended ? 1 : now.Done;
                    bar.Description = Markup.Escape(ProgressLines.Figures(now, rate));
                    if (now.Ended) bar.StopTask();
                }
                _liveActive = true;
                try
                {
                    var task = Task.Run(run);
                    while (!task.IsCompleted)
                    {
                        await Task.WhenAny(task, Task.Delay(Poll));
                        while (ended.TryDequeue(out var last)) Show(last);
                        if (progress.Snapshot() is { Ended: false } now) Show(now);
                    }
                    while (ended.TryDequeue(out var last)) Show(last);
                    return await task;
                }
                finally
                {
                    _liveActive = false;
                }
            }).GetAwaiter().GetResult();
    }
}
