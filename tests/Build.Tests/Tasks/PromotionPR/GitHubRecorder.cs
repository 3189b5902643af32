using System.Text;
using Promoter.Tests.Support;

namespace Build.Tests.Tasks.PromotionPR;

/// <summary>
/// The only stand-in of these tests: a loopback HTTP endpoint (the harness's <see cref="LoopbackHttpServer"/>) where
/// Octokit's requests go instead of GitHub. It records each request (method, path, body, whether an Authorization header
/// came and with what) and answers a pull-request creation and a reviewers request with 201 and a pull request of number
/// 7, anything else with 404.
/// </summary>
internal sealed class GitHubRecorder : LoopbackHttpServer
{
    public sealed record Request(string Method, string Path, string Body, string? Authorization);

    private readonly List<Request> _requests = [];

    /// <summary>The API address to give <c>--github-api-url</c>.</summary>
    public string Url => Address.ToString();

    public IReadOnlyList<Request> Requests { get { lock (_requests) return _requests.ToList(); } }

    protected override LoopbackAnswer Answer(LoopbackRequest request)
    {
        lock (_requests) _requests.Add(new Request(request.Method, request.Path, Encoding.UTF8.GetString(request.Body), request.Header("Authorization")));
        var known = request.Method == "POST" && (request.Path.EndsWith("/pulls", StringComparison.Ordinal) || request.Path.EndsWith("/requested_reviewers", StringComparison.Ordinal));
        return known
            ? LoopbackAnswer.Json(201, $$"""{"id": 1, "number": 7, "state": "open", "title": "recorded", "html_url": "{{Url}}kubernetes/k8s.io/pull/7", "url": "{{Url}}api/v3/repos/kubernetes/k8s.io/pulls/7"}""")
            : LoopbackAnswer.Json(404, """{"message": "Not Found"}""");
    }
}
