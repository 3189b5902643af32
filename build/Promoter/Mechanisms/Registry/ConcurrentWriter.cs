namespace Promoter.Registry;

/// <summary>
/// The one rule for a write that another writer may be making at the same time (another process promoting or pushing
/// the same content into the same repository): when the write fails the way a concurrent writer makes it fail on
/// Distribution's filesystem driver, ask whether the content is now there; if it is, the write is done (someone else
/// made it); if not, wait a little and write again, at most <see cref="Attempts"/> times. See <c>Registry/README.md</c>.
/// </summary>
internal static class ConcurrentWriter
{
    /// <summary>Attempts of one write, the first included.</summary>
    public const int Attempts = 4;

    /// <summary>
    /// Error codes Distribution's filesystem driver answers while another writer rewrites the link files of the same
    /// blob or manifest (it truncates and rewrites them in place): a link read empty is an unknown blob or an invalid digest.
    /// </summary>
    private static readonly string[] RaceCodes =
        ["DIGEST_INVALID", "BLOB_UNKNOWN", "MANIFEST_BLOB_UNKNOWN", "MANIFEST_UNKNOWN", "BLOB_UPLOAD_UNKNOWN", "BLOB_UPLOAD_INVALID"];

    /// <summary>True for an answer a concurrent writer can cause: one of the race codes, or a 5xx that outlived the client's
    /// retries; and for an upload session broken by a reset or a timeout (<see cref="RegistryException.UploadSessionBroken"/>),
    /// which is also made again, in a new session.</summary>
    public static bool IsRace(Exception exception) =>
        exception is RegistryException { UploadSessionBroken: true }
        || (exception is RegistryException { StatusCode: { } status } e && (RaceCodes.Any(e.HasErrorCode) || (int)status >= 500));

    /// <summary>
    /// Runs <paramref name="write"/>; when it fails as a race (<see cref="IsRace"/>) and <paramref name="landed"/> then
    /// says the content is in place, returns <paramref name="landedOutcome"/>; otherwise retries after a short pause.
    /// </summary>
    /// <typeparam name="T">What the write returns.</typeparam>
    /// <param name="write">The write; called again on each attempt (it must open its content anew).</param>
    /// <param name="landed">Whether the content is now in place (a HEAD); a race answer from it counts as "no".</param>
    /// <param name="landedOutcome">What to return when another writer put the content in place.</param>
    /// <param name="cancellationToken">Cancels the pauses.</param>
    /// <exception cref="RegistryException">The write failed otherwise, or still raced after <see cref="Attempts"/>
    /// attempts (the message says so, keeping the registry's codes).</exception>
    public static Task<T> WriteAsync<T>(Func<Task<T>> write, Func<Task<bool>> landed, T landedOutcome,
        CancellationToken cancellationToken) =>
        RetryAsync<T>(async last =>
        {
            try
            {
                return (true, await write());
            }
            catch (RegistryException e) when (IsRace(e))
            {
                if (await LandedAsync(landed)) return (true, landedOutcome);
                if (last)
                    throw new RegistryException($"{e.Message} (still failing after {Attempts} attempts, each checked for a concurrent writer)",
                        e.Reference, e.StatusCode, e.Errors, e);
                return (false, default!);
            }
        }, cancellationToken);

    /// <summary>
    /// The one retry loop of a write or read-back that a concurrent writer can disturb: runs <paramref name="attempt"/> up
    /// to <see cref="Attempts"/> times, with <see cref="Pause"/> between, until it says it is done.
    /// </summary>
    /// <typeparam name="T">What the attempt settles on.</typeparam>
    /// <param name="attempt">One attempt, told whether it is the last; it returns <c>(true, value)</c> when settled and
    /// <c>(false, _)</c> to be tried again, and on its last attempt throws its own error rather than asking for another.</param>
    /// <param name="cancellationToken">Cancels the pauses.</param>
    /// <exception cref="InvalidOperationException">The last attempt neither settled nor threw (a bug in the caller).</exception>
    public static async Task<T> RetryAsync<T>(Func<bool, Task<(bool Done, T Value)>> attempt, CancellationToken cancellationToken)
    {
        for (var n = 1; ; n++)
        {
            var last = n >= Attempts;
            var (done, value) = await attempt(last);
            if (done) return value;
            if (last) throw new InvalidOperationException($"The last of {Attempts} attempts neither settled nor threw.");
            await Task.Delay(Pause(n), cancellationToken);
        }
    }

    /// <summary>The pause before attempt <paramref name="attempt"/> + 1: 25, 50, 100 ms, plus up to 25 ms of jitter so two writers part.</summary>
    public static TimeSpan Pause(int attempt) => TimeSpan.FromMilliseconds(25 * (1 << (attempt - 1)) + Random.Shared.Next(25));

    private static async Task<bool> LandedAsync(Func<Task<bool>> landed)
    {
        try
        {
            return await landed();
        }
        catch (RegistryException e) when (IsRace(e))
        {
            return false;
        }
    }
}
