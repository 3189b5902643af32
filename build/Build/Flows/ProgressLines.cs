using System.Globalization;
using Promoter.Promotion.Engine;

namespace Build.Flows;

/// <summary>
/// The pure part of a promotion's progress output: when CI gets a <c>progress:</c> line (<see cref="Due"/>), the ETA
/// arithmetic (<see cref="Eta"/>) and the text of a line (<see cref="Line"/>); the live terminal display shows the same figures.
/// </summary>
public static class ProgressLines
{
    /// <summary>A line at least this often while a phase runs.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(10);

    /// <summary>A line at least every this many percentage points.</summary>
    public const int PercentStep = 5;

    /// <summary>
    /// Whether CI gets a line for <paramref name="now"/>, the last line of the phase having been at <paramref name="last"/>
    /// (null: none yet, as if at 0 at the phase's start): after <see cref="Every"/>, after <see cref="PercentStep"/> more
    /// percent, and once when the phase has ended (its last line says how long it took). Never twice for one moment.
    /// </summary>
    public static bool Due(PromotionProgressSnapshot now, ProgressMark? last)
    {
        var from = last ?? new ProgressMark(TimeSpan.Zero, 0, 0);
        if (last is not null && now.Elapsed <= from.At) return false;
        if (now.Ended) return true; // the phase's last line, saying how long it took
        if (now.Elapsed - from.At >= Every) return true;
        return now.Total > 0 && Percent(now.Done, now.Total) - Percent(from.Done, now.Total) >= PercentStep;
    }

    /// <summary>Whole percent of <paramref name="done"/> out of <paramref name="total"/> (100 when there is nothing to do).</summary>
    public static int Percent(long done, long total) =>
        total <= 0 ? 100 : (int)Math.Clamp(done * 100 / total, 0, 100);

    /// <summary>
    /// The time left at the phase's average rate so far: <paramref name="elapsed"/> x (total - done) / done, rounded up
    /// to whole seconds; zero when all is done, null while nothing is (no rate yet).
    /// </summary>
    public static TimeSpan? Eta(long done, long total, TimeSpan elapsed)
    {
        if (done >= total) return TimeSpan.Zero;
        if (done <= 0 || elapsed <= TimeSpan.Zero) return null;
        var seconds = elapsed.TotalSeconds * (total - done) / done;
        return TimeSpan.FromSeconds(Math.Ceiling(seconds));
    }

    /// <summary>
    /// Requests per second between <paramref name="last"/> and <paramref name="now"/> (since the phase's start when there is
    /// no last line, or under a tenth of a second passed).
    /// </summary>
    public static double RequestRate(PromotionProgressSnapshot now, ProgressMark? last)
    {
        var (at, requests) = last is { } mark && now.Elapsed - mark.At >= TimeSpan.FromMilliseconds(100)
            ? (mark.At, mark.Requests)
            : (TimeSpan.Zero, 0L);
        var seconds = (now.Elapsed - at).TotalSeconds;
        return seconds <= 0 ? 0 : Math.Max(0, now.Requests - requests) / seconds;
    }

    /// <summary>
    /// The figures of <paramref name="now"/> without the <c>progress:</c> prefix, e.g.
    /// <c>execute 412/1000 edges (41%), 380 manifests, 1204 blobs, 3.1 MiB, 220 req/s, ETA 12 s</c>; the plan phase
    /// counts references asked and has no manifests, blobs or bytes; an ended phase says how long it took instead of an ETA.
    /// </summary>
    public static string Figures(PromotionProgressSnapshot now, double requestsPerSecond)
    {
        var text = new System.Text.StringBuilder();
        var unit = now.Phase == PromotionPhase.Plan ? "references" : "edges";
        text.Append(CultureInfo.InvariantCulture, $"{now.Phase.ToString().ToLowerInvariant()} {now.Done}/{now.Total} {unit} ({Percent(now.Done, now.Total)}%)");
        if (now.Phase != PromotionPhase.Plan)
            text.Append(CultureInfo.InvariantCulture, $", {now.Manifests} manifests, {now.Blobs} blobs, {Size(now.Bytes)}");
        text.Append(CultureInfo.InvariantCulture, $", {Math.Round(requestsPerSecond):0} req/s");
        text.Append(now.Ended ? $", done in {Duration(now.Elapsed)}"
            : now.Total > 0 && now.Done >= now.Total ? ", finishing" // every unit done; the phase's last checks (read-backs) run
            : Eta(now.Done, now.Total, now.Elapsed) is { } eta ? $", ETA {Duration(eta)}" : ", ETA unknown");
        return text.ToString();
    }

    /// <summary>The CI line: <c>progress: </c> and <see cref="Figures"/>.</summary>
    public static string Line(PromotionProgressSnapshot now, double requestsPerSecond) => "progress: " + Figures(now, requestsPerSecond);

    /// <summary>Bytes in binary units with one decimal above 1 KiB: <c>512 B</c>, <c>3.1 MiB</c>.</summary>
    public static string Size(long bytes)
    {
        string[] units = ["KiB", "MiB", "GiB", "TiB"];
        if (bytes < 1024) return $"{bytes} B";
        var value = (double)bytes;
        var unit = -1;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }

    /// <summary>A duration to the second: <c>12 s</c>, <c>3 min 20 s</c>, <c>1 h 05 min</c>.</summary>
    public static string Duration(TimeSpan span)
    {
        var seconds = (long)Math.Ceiling(Math.Max(0, span.TotalSeconds));
        if (seconds < 60) return $"{seconds} s";
        if (seconds < 3600) return $"{seconds / 60} min {seconds % 60} s";
        return $"{seconds / 3600} h {seconds % 3600 / 60:00} min";
    }
}
