using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Build.Tests.Promotion;

/// <summary>
/// A forwarder (<see cref="LoopbackForwarder"/>) to a registry port that records every HTTP/1.1 request line sent towards the registry
/// (<c>PUT /v2/prod/foo/manifests/1.0</c>), as a registry's access log would, so a test can count the writes of several
/// processes at once. Bodies pass through untouched; a request line is the end of a line of the client's stream that reads
/// <c>METHOD /v2/... HTTP/1.1</c>.
/// </summary>
internal sealed partial class RecordingProxy(int targetPort) : LoopbackForwarder(targetPort)
{
    private readonly ConcurrentQueue<string> _requests = new();

    /// <summary>Every request line so far, <c>METHOD PATH</c> (query kept), in arrival order.</summary>
    public IReadOnlyList<string> Requests => _requests.ToList();

    /// <summary>The manifest and tag writes so far: <c>PUT /v2/REPOSITORY/manifests/REFERENCE</c> lines.</summary>
    public IReadOnlyList<string> ManifestPuts => Requests.Where(r => ManifestPut().IsMatch(r)).ToList();

    /// <inheritdoc />
    protected override async Task ForwardRequestsAsync(NetworkStream from, NetworkStream to, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var line = new List<byte>(256);
        int read;
        while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != (byte)'\n')
                {
                    // Only a line's end can hold a request line: keep its last 2-4 KiB (a blob body may precede it).
                    if (line.Count >= 4096) line.RemoveRange(0, 2048);
                    line.Add(buffer[i]);
                    continue;
                }
                var text = Encoding.ASCII.GetString(line.ToArray());
                line.Clear();
                if (RequestLine().Match(text) is { Success: true } match) _requests.Enqueue($"{match.Groups[1].Value} {match.Groups[2].Value}");
            }
            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
        to.Socket.Shutdown(SocketShutdown.Send);
    }

    // Not anchored at the start: on a kept-alive connection a request follows the previous request's body (a manifest's
    // JSON has no final newline) on the same line.
    [GeneratedRegex(@"(GET|HEAD|PUT|POST|PATCH|DELETE) (/v2/\S*) HTTP/1\.1\r$")]
    private static partial Regex RequestLine();

    [GeneratedRegex(@"^PUT /v2/\S+/manifests/[^/?\s]+$")]
    private static partial Regex ManifestPut();
}
