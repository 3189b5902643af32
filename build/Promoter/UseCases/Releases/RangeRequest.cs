using System.Text.Json;
using Promoter.Inputs;

namespace Promoter.Releases;

/// <summary>
/// A commit range as the CI environment describes it, before git resolves the revisions to commits.
/// </summary>
/// <param name="Job">The kind of job.</param>
/// <param name="BaseRev">The revision the range starts after, or null for "the first parent of the head".</param>
/// <param name="HeadRev">The revision the range ends at (a commit id or <c>HEAD</c>).</param>
/// <param name="BaseOrigin">Where <paramref name="BaseRev"/> came from, for messages, e.g. <c>PULL_BASE_SHA</c>.</param>
/// <param name="HeadOrigin">Where <paramref name="HeadRev"/> came from, for messages.</param>
public sealed record RangeRequest(JobKind Job, string? BaseRev, string HeadRev, string BaseOrigin, string HeadOrigin)
{
    /// <summary>The <c>before</c> value GitHub sends for a push that creates a branch.</summary>
    public const string NullSha = "0000000000000000000000000000000000000000";

    /// <summary>
    /// Reads the range from <paramref name="environment"/>, in this order:
    /// <list type="number">
    /// <item>Prow, when <c>JOB_TYPE</c> is set (https://docs.prow.k8s.io/docs/jobs/#job-environment-variables):
    /// <c>presubmit</c> is <c>PULL_BASE_SHA..PULL_PULL_SHA</c> (either taken from <c>PULL_REFS</c>,
    /// <c>base_ref:base_sha,pull_number:pull_sha</c>, when absent); <c>batch</c> is <c>PULL_BASE_SHA..HEAD</c>;
    /// <c>postsubmit</c> is the first parent of <c>PULL_BASE_SHA</c> (or HEAD) up to it; <c>periodic</c> is <c>HEAD~1..HEAD</c>.</item>
    /// <item>GitHub Actions, when <c>GITHUB_EVENT_NAME</c> is set: the event payload at <c>GITHUB_EVENT_PATH</c> gives
    /// <c>before..after</c> for <c>push</c> (a <c>before</c> of all zeros, a new branch, becomes the first parent of
    /// <c>after</c>), <c>pull_request.base.sha..pull_request.head.sha</c> for <c>pull_request</c>/<c>pull_request_target</c>,
    /// <c>merge_group.base_sha..merge_group.head_sha</c> for <c>merge_group</c>; <c>schedule</c> is periodic and
    /// <c>workflow_dispatch</c> local, both <c>HEAD~1..HEAD</c>.</item>
    /// <item>Otherwise a local run, <c>HEAD~1..HEAD</c>.</item>
    /// </list>
    /// An explicit <paramref name="since"/> replaces the base whatever the environment says, and the head becomes
    /// the environment's head (HEAD for a local run).
    /// </summary>
    /// <param name="environment">The environment variables (the process environment, or a test's own).</param>
    /// <param name="since">The <c>--since=&lt;rev&gt;</c> argument, or null.</param>
    /// <exception cref="FormatException">A variable or the event payload is missing, malformed or names an unknown
    /// job type or event; the message names the variable or JSON field and what was expected.</exception>
    public static RangeRequest FromEnvironment(IReadOnlyDictionary<string, string> environment, string? since = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var request = Get(environment, "JOB_TYPE") is { } jobType
            ? FromProw(environment, jobType)
            : Get(environment, "GITHUB_EVENT_NAME") is { } eventName
                ? FromGitHub(environment, eventName)
                : new RangeRequest(JobKind.Local, null, "HEAD", "the first parent of HEAD", "HEAD");

        if (since is not null)
        {
            if (string.IsNullOrWhiteSpace(since))
                throw new FormatException("--since: expected a revision (a commit id, tag or branch), got an empty value.");
            request = request with { BaseRev = since.Trim(), BaseOrigin = "--since" };
        }
        return request;
    }

    private static RangeRequest FromProw(IReadOnlyDictionary<string, string> environment, string jobType)
    {
        var refs = Get(environment, "PULL_REFS") is { } text ? ParsePullRefs(text) : null;
        string BaseSha() =>
            Get(environment, "PULL_BASE_SHA") ?? refs?.BaseSha
            ?? throw new FormatException($"JOB_TYPE={jobType}: neither PULL_BASE_SHA nor PULL_REFS gives the base commit.");

        switch (jobType)
        {
            case "presubmit":
            {
                var pull = Get(environment, "PULL_PULL_SHA");
                if (pull is null)
                {
                    if (refs is null || refs.PullShas.Count == 0)
                        throw new FormatException("JOB_TYPE=presubmit: neither PULL_PULL_SHA nor PULL_REFS gives the pull request's commit.");
                    if (refs.PullShas.Count > 1)
                        throw new FormatException($"JOB_TYPE=presubmit: PULL_REFS names {refs.PullShas.Count} pull requests; a presubmit tests exactly one.");
                    pull = refs.PullShas[0];
                }
                var origin = Get(environment, "PULL_BASE_SHA") is null ? "PULL_REFS" : "PULL_BASE_SHA";
                return new RangeRequest(JobKind.Presubmit, BaseSha(), pull, origin, Get(environment, "PULL_PULL_SHA") is null ? "PULL_REFS" : "PULL_PULL_SHA");
            }
            case "batch":
                return new RangeRequest(JobKind.Batch, BaseSha(), "HEAD", Get(environment, "PULL_BASE_SHA") is null ? "PULL_REFS" : "PULL_BASE_SHA", "HEAD");
            case "postsubmit":
            {
                var head = Get(environment, "PULL_BASE_SHA") ?? refs?.BaseSha;
                return head is null
                    ? new RangeRequest(JobKind.Postsubmit, null, "HEAD", "the first parent of HEAD", "HEAD")
                    : new RangeRequest(JobKind.Postsubmit, null, head, "the first parent of PULL_BASE_SHA", "PULL_BASE_SHA");
            }
            case "periodic":
                return new RangeRequest(JobKind.Periodic, null, "HEAD", "the first parent of HEAD", "HEAD");
            default:
                throw new FormatException($"JOB_TYPE='{jobType}': expected presubmit, postsubmit, periodic or batch.");
        }
    }

    /// <summary>The parts of Prow's <c>PULL_REFS</c>: <c>base_ref:base_sha[,pull_number:pull_sha[:ref]]...</c>.</summary>
    /// <param name="BaseRef">The base branch, e.g. <c>main</c>.</param>
    /// <param name="BaseSha">The base commit.</param>
    /// <param name="PullShas">The head commit of each pull request, in order.</param>
    public sealed record PullRefs(string BaseRef, string BaseSha, IReadOnlyList<string> PullShas);

    /// <summary>Parses Prow's <c>PULL_REFS</c>, e.g. <c>main:abc123,42:def456</c>.</summary>
    /// <exception cref="FormatException">The value does not have that shape; the message quotes it.</exception>
    public static PullRefs ParsePullRefs(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        const string expected = "expected base_ref:base_sha[,pull_number:pull_sha]..., e.g. main:abc123,42:def456";
        var parts = text.Trim().Split(',');
        var baseParts = parts[0].Split(':');
        if (baseParts.Length != 2 || baseParts[0].Length == 0 || !IsHex(baseParts[1]))
            throw new FormatException($"PULL_REFS='{text}': the base entry '{parts[0]}' is not base_ref:base_sha; {expected}.");

        var pulls = new List<string>();
        foreach (var entry in parts.Skip(1))
        {
            var fields = entry.Split(':');
            if (fields.Length < 2 || !int.TryParse(fields[0], out _) || !IsHex(fields[1]))
                throw new FormatException($"PULL_REFS='{text}': the pull entry '{entry}' is not pull_number:pull_sha; {expected}.");
            pulls.Add(fields[1]);
        }
        return new PullRefs(baseParts[0], baseParts[1], pulls);
    }

    private static RangeRequest FromGitHub(IReadOnlyDictionary<string, string> environment, string eventName)
    {
        switch (eventName)
        {
            case "push":
            {
                using var payload = ReadEvent(environment, eventName);
                var before = Field(payload.RootElement, "before", eventName);
                var after = Field(payload.RootElement, "after", eventName);
                return before.Trim('0').Length == 0
                    ? new RangeRequest(JobKind.Postsubmit, null, after, "the first parent of after (a new branch: before is all zeros)", "after in GITHUB_EVENT_PATH")
                    : new RangeRequest(JobKind.Postsubmit, before, after, "before in GITHUB_EVENT_PATH", "after in GITHUB_EVENT_PATH");
            }
            case "pull_request" or "pull_request_target":
            {
                using var payload = ReadEvent(environment, eventName);
                var pull = Object(payload.RootElement, "pull_request", eventName);
                var baseSha = Field(Object(pull, "base", eventName, "pull_request.base"), "sha", eventName, "pull_request.base.sha");
                var headSha = Field(Object(pull, "head", eventName, "pull_request.head"), "sha", eventName, "pull_request.head.sha");
                return new RangeRequest(JobKind.Presubmit, baseSha, headSha, "pull_request.base.sha in GITHUB_EVENT_PATH", "pull_request.head.sha in GITHUB_EVENT_PATH");
            }
            case "merge_group":
            {
                using var payload = ReadEvent(environment, eventName);
                var group = Object(payload.RootElement, "merge_group", eventName);
                var baseSha = Field(group, "base_sha", eventName, "merge_group.base_sha");
                var headSha = Field(group, "head_sha", eventName, "merge_group.head_sha");
                return new RangeRequest(JobKind.Batch, baseSha, headSha, "merge_group.base_sha in GITHUB_EVENT_PATH", "merge_group.head_sha in GITHUB_EVENT_PATH");
            }
            case "schedule":
                return new RangeRequest(JobKind.Periodic, null, "HEAD", "the first parent of HEAD", "HEAD");
            case "workflow_dispatch":
                return new RangeRequest(JobKind.Local, null, "HEAD", "the first parent of HEAD", "HEAD");
            default:
                throw new FormatException(
                    $"GITHUB_EVENT_NAME='{eventName}': expected push, pull_request, pull_request_target, merge_group, schedule or workflow_dispatch.");
        }
    }

    private static JsonDocument ReadEvent(IReadOnlyDictionary<string, string> environment, string eventName)
    {
        var path = Get(environment, "GITHUB_EVENT_PATH")
            ?? throw new FormatException($"GITHUB_EVENT_NAME={eventName}: GITHUB_EVENT_PATH is not set; expected the path of the event payload (JSON).");
        string text;
        try
        {
            text = InputFile.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InputFileException)
        {
            throw new FormatException($"GITHUB_EVENT_PATH={path}: cannot read the event payload: {exception.Message}", exception);
        }
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException exception)
        {
            throw new FormatException($"GITHUB_EVENT_PATH={path}: not JSON (line {exception.LineNumber + 1}): {exception.Message}", exception);
        }
    }

    private static JsonElement Object(JsonElement parent, string name, string eventName, string? path = null) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : throw new FormatException($"GITHUB_EVENT_PATH ({eventName} event): expected an object at '{path ?? name}'.");

    private static string Field(JsonElement parent, string name, string eventName, string? path = null)
    {
        if (parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value)
            && value.ValueKind == JsonValueKind.String && value.GetString() is { } text && IsHex(text))
            return text;
        throw new FormatException($"GITHUB_EVENT_PATH ({eventName} event): expected a commit id (hex) at '{path ?? name}'.");
    }

    private static string? Get(IReadOnlyDictionary<string, string> environment, string name) =>
        environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static bool IsHex(string text) => text.Length is >= 4 and <= 64 && text.All(char.IsAsciiHexDigit);
}
