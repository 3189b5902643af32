using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Promoter.Oci;

/// <summary>
/// The registry-capacity probe of bench/scale.sh: sends exactly the requests of the smallest no-op plan of the generated
/// images (per image one manifest HEAD by digest in the source, then one HEAD by tag per destination and tag) with
/// <c>clients</c> requests in flight at once, over plain keep-alive HTTP/1.1 connections and nothing else (no retries, no
/// digest checks, no plan), and prints how long they took. That time is the floor a no-op promotion of the same images
/// can reach on this machine with these registries: the registries' answer rate, not the promoter, bounds it.
/// </summary>
internal static class HeadLoad
{
    /// <summary>
    /// Usage: <c>heads IMAGES_YAML SRC_HOST SRC_PREFIX DEST_HOST[,DEST_HOST...] DEST_PREFIX CLIENTS</c>. Prints one line,
    /// <c>heads REQUESTS CLIENTS SECONDS REQUESTS_PER_SECOND</c>. Exits 1 when any answer is not 200 (the destinations must
    /// hold every tag: run it after a promotion).
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var (imagesYaml, sourceHost, sourcePrefix, destinations, destinationPrefix, clients) =
            (args[0], args[1], args[2], args[3].Split(','), args[4], int.Parse(args[5]));
        var paths = new List<string>();
        foreach (var image in ImageList.Read(imagesYaml))
        {
            paths.Add($"http://{sourceHost}/v2/{sourcePrefix}/{image.Name}/manifests/{image.Digest}");
            foreach (var destination in destinations)
                foreach (var tag in image.Tags)
                    paths.Add($"http://{destination}/v2/{destinationPrefix}/{image.Name}/manifests/{tag}");
        }
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients, UseProxy = false });
        var accept = MediaTypes.Manifests.Select(t => new MediaTypeWithQualityHeaderValue(t)).ToList();
        // Warm up: one connection per client and registry, so the timing holds no connection set-up.
        await Parallel.ForEachAsync(paths.Take(clients * (destinations.Length + 1)), new ParallelOptions { MaxDegreeOfParallelism = clients },
            async (path, ct) => await SendAsync(http, path, accept, ct));
        var next = -1;
        var failures = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < paths.Count; i = Interlocked.Increment(ref next))
                if (await SendAsync(http, paths[i], accept, CancellationToken.None) != HttpStatusCode.OK) Interlocked.Increment(ref failures);
        })));
        var seconds = clock.Elapsed.TotalSeconds;
        if (failures > 0)
        {
            Console.Error.WriteLine($"heads: {failures} of {paths.Count} answers were not 200 OK");
            return 1;
        }
        Console.WriteLine(FormattableString.Invariant($"heads {paths.Count} {clients} {seconds:F2} {paths.Count / seconds:F0}"));
        return 0;
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient http, string path, IReadOnlyList<MediaTypeWithQualityHeaderValue> accept,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, path);
        foreach (var type in accept) request.Headers.Accept.Add(type);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        return response.StatusCode;
    }
}
