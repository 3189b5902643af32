using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Promoter.Oci;

/// <summary>
/// The write bound of bench/scale.sh: sends exactly the requests of the smallest safe cold promotion of the generated
/// images from the source registry into empty destination registries, with <c>clients</c> requests in flight at once,
/// over plain keep-alive HTTP/1.1 connections and nothing else (no plan, no retries, no engine), and prints how long
/// they took: the floor a cold promotion of the same images can reach on this machine with these registries.
/// </summary>
/// <remarks>
/// The sequence, and what counts (every request below is one request; nothing else is sent while the clock runs):
/// <list type="bullet">
/// <item>per image, once per run for all destinations: a GET of its manifest by digest from the source, and for an
/// index a GET of each child manifest by digest (each checked against its digest);</item>
/// <item>per blob that some destination needs uploaded, once per run: a GET of its bytes from the source (checked
/// against digest and size, then held for every destination that needs them);</item>
/// <item>per image and destination: one tag listing of the destination repository (<c>GET /v2/&lt;repo&gt;/tags/list</c>,
/// 404 on a cold destination: the proof that no tag moves; any other answer fails the run);</item>
/// <item>per distinct blob of the image (config and layers of the image or of every child of an index) and destination:
/// when the blob is already in another repository of that destination (an earlier image of this run put it there),
/// one cross-repository mount (<c>POST /v2/&lt;repo&gt;/blobs/uploads/?mount=&lt;digest&gt;&amp;from=&lt;repo&gt;</c>,
/// 201); else the upload: <c>POST /v2/&lt;repo&gt;/blobs/uploads/</c> (202) and <c>PUT &lt;location&gt;&amp;digest=</c>
/// with the bytes (201). Distribution 2.8 answers a single-request <c>POST ?digest=</c> with 202, so two requests is
/// its minimum. The first image that needs a blob in a destination claims it there and uploads it; later images wait
/// for that upload and mount, so each blob is uploaded once per destination registry;</item>
/// <item>per index and destination: each child manifest PUT by digest, before the index;</item>
/// <item>per tag and destination: one manifest PUT by tag (201), its Docker-Content-Digest header checked against the
/// digest.</item>
/// </list>
/// Not counted: one <c>GET /v2/</c> per connection before the clock starts (<c>clients</c> per registry: connection
/// set-up is not part of the bound). Not sent at all: HEADs (the tag listing answers for the tags, a claim for the
/// blobs), authentication, reads back after a write. Any unexpected answer stops the run and exits 1.
/// </remarks>
internal static class WriteLoad
{
    /// <summary>
    /// Usage: <c>writes IMAGES_YAML SRC_HOST SRC_PREFIX DEST_HOST[,DEST_HOST...] DEST_PREFIX CLIENTS</c>. Prints one line,
    /// <c>writes REQUESTS CLIENTS SECONDS REQUESTS_PER_SECOND SOURCE_MANIFEST_GETS BLOB_GETS BLOB_BYTES TAG_LISTS MOUNTS
    /// UPLOADS MANIFEST_PUTS</c> (an upload is two requests). Exits 1 when any answer is not the expected one (the
    /// destinations must be empty).
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var (imagesYaml, sourceHost, sourcePrefix, destinations, destinationPrefix, clients) =
            (args[0], args[1], args[2], args[3].Split(','), args[4], int.Parse(args[5]));
        var images = ImageList.Read(imagesYaml);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients, UseProxy = false, AllowAutoRedirect = false });
        http.Timeout = TimeSpan.FromMinutes(5);
        // Warm up: one connection per client and registry, so the timing holds no connection set-up.
        await Task.WhenAll(destinations.Prepend(sourceHost).SelectMany(host => Enumerable.Range(0, clients).Select(async _ =>
        {
            using var response = await http.GetAsync($"http://{host}/v2/");
            response.EnsureSuccessStatusCode();
        })));
        var writer = new Writer(http, sourceHost, sourcePrefix, destinations, destinationPrefix);
        using var stop = new CancellationTokenSource();
        Exception? failure = null;
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            try
            {
                for (var i = Interlocked.Increment(ref next); i < images.Count; i = Interlocked.Increment(ref next))
                    await writer.PromoteAsync(images[i], stop.Token);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, e, null);
                await stop.CancelAsync();
            }
        })));
        var seconds = clock.Elapsed.TotalSeconds;
        if (failure is not null)
        {
            Console.Error.WriteLine($"writes: {failure.Message}");
            return 1;
        }
        var c = writer.Counts;
        Console.WriteLine(FormattableString.Invariant(
            $"writes {c.Requests} {clients} {seconds:F2} {c.Requests / seconds:F0} {c.ManifestGets} {c.BlobGets} {c.BlobBytes} {c.TagLists} {c.Mounts} {c.Uploads} {c.ManifestPuts}"));
        return 0;
    }

    /// <summary>The request counters of a run (updated with <see cref="Interlocked"/>).</summary>
    private sealed class Counts
    {
        public long Requests, ManifestGets, BlobGets, BlobBytes, TagLists, Mounts, Uploads, ManifestPuts;
    }

    /// <summary>A source manifest: its digest, exact bytes and parsed document.</summary>
    private sealed record Manifest(Digest Digest, byte[] Bytes, ManifestDocument Document);

    /// <summary>Promotes images one at a time per caller; shares blob claims and source blob bytes between callers.</summary>
    private sealed class Writer(HttpClient http, string sourceHost, string sourcePrefix, string[] destinations, string destinationPrefix)
    {
        private static readonly IReadOnlyList<MediaTypeWithQualityHeaderValue> Accept =
            MediaTypes.Manifests.Select(t => new MediaTypeWithQualityHeaderValue(t)).ToList();

        // "destination digest" -> the repository the blob was uploaded into there (set when the upload is committed).
        private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _claims = new();
        // digest -> its bytes read from the source, once per run (the generated set's blobs are small but for the base).
        private readonly ConcurrentDictionary<Digest, Lazy<Task<byte[]>>> _sourceBlobs = new();

        /// <summary>What the run sent so far.</summary>
        public Counts Counts { get; } = new();

        /// <summary>The minimal safe cold promotion of one image into every destination (see the class remarks).</summary>
        /// <exception cref="InvalidOperationException">An answer was not the expected one.</exception>
        public async Task PromoteAsync(GeneratedImage image, CancellationToken ct)
        {
            var source = $"{sourcePrefix}/{image.Name}";
            var top = await GetManifestAsync(source, image.Digest, ct);
            var children = new List<Manifest>();
            foreach (var child in top.Document.Manifests)
                children.Add(await GetManifestAsync(source, child.ParsedDigest, ct));
            var blobs = (top.Document.IsIndex ? children : [top]).SelectMany(m => m.Document.Blobs).DistinctBy(b => b.Digest).ToList();
            var repository = $"{destinationPrefix}/{image.Name}";
            foreach (var destination in destinations)
            {
                var list = $"http://{destination}/v2/{repository}/tags/list";
                using (var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, list), ct))
                {
                    Interlocked.Increment(ref Counts.TagLists);
                    Expect(response, HttpStatusCode.NotFound, "tag listing of a cold repository");
                }
                foreach (var blob in blobs)
                    await PlaceBlobAsync(destination, repository, source, blob, ct);
                foreach (var child in children)
                    await PutManifestAsync(destination, repository, child.Digest.Value, child, ct);
                foreach (var tag in image.Tags)
                    await PutManifestAsync(destination, repository, tag, top, ct);
            }
        }

        private async Task<Manifest> GetManifestAsync(string repository, Digest digest, CancellationToken ct)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, $"http://{sourceHost}/v2/{repository}/manifests/{digest}");
            foreach (var type in Accept) request.Headers.Accept.Add(type);
            using var response = await SendAsync(request, ct);
            Interlocked.Increment(ref Counts.ManifestGets);
            Expect(response, HttpStatusCode.OK, "source manifest GET");
            var bytes = await response.Content.ReadAsByteArrayAsync(ct);
            if (Digest.Of(bytes) != digest) throw new InvalidOperationException($"{repository}@{digest}: the source's manifest bytes hash to {Digest.Of(bytes)}");
            return new Manifest(digest, bytes, ManifestDocument.Parse(bytes, response.Content.Headers.ContentType?.MediaType, $"{repository}@{digest}"));
        }

        // Uploads the blob into the destination when this is the first image of the run to need it there, else waits for
        // that upload and mounts it from the repository it went into.
        private async Task PlaceBlobAsync(string destination, string repository, string source, Descriptor blob, CancellationToken ct)
        {
            var mine = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            var claim = _claims.GetOrAdd($"{destination} {blob.Digest}", mine);
            if (claim != mine)
            {
                var from = await claim.Task.WaitAsync(ct);
                var mount = $"http://{destination}/v2/{repository}/blobs/uploads/?mount={blob.Digest}&from={from}";
                using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Post, mount), ct);
                Interlocked.Increment(ref Counts.Mounts);
                Expect(response, HttpStatusCode.Created, $"mount of {blob.Digest} from {from}");
                return;
            }
            try
            {
                var bytes = await _sourceBlobs.GetOrAdd(blob.ParsedDigest, d => new Lazy<Task<byte[]>>(() => GetBlobAsync(source, d, blob.Size, ct))).Value;
                Uri location;
                using (var started = await SendAsync(new HttpRequestMessage(HttpMethod.Post, $"http://{destination}/v2/{repository}/blobs/uploads/"), ct))
                {
                    Expect(started, HttpStatusCode.Accepted, "upload start");
                    location = new Uri(new Uri($"http://{destination}/"), started.Headers.Location ?? throw new InvalidOperationException("upload start: no Location"));
                }
                var put = new UriBuilder(location);
                put.Query = (put.Query.Length > 1 ? put.Query[1..] + "&" : "") + $"digest={Uri.EscapeDataString(blob.Digest)}";
                var request = new HttpRequestMessage(HttpMethod.Put, put.Uri) { Content = new ByteArrayContent(bytes) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                using (var committed = await SendAsync(request, ct))
                    Expect(committed, HttpStatusCode.Created, $"upload of {blob.Digest}");
                Interlocked.Increment(ref Counts.Uploads);
                mine.SetResult(repository);
            }
            catch (Exception e)
            {
                mine.SetException(e);
                throw;
            }
        }

        private async Task<byte[]> GetBlobAsync(string repository, Digest digest, long size, CancellationToken ct)
        {
            using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, $"http://{sourceHost}/v2/{repository}/blobs/{digest}"), ct);
            Interlocked.Increment(ref Counts.BlobGets);
            Expect(response, HttpStatusCode.OK, "source blob GET");
            var bytes = await response.Content.ReadAsByteArrayAsync(ct);
            if (bytes.Length != size || Digest.Of(bytes) != digest)
                throw new InvalidOperationException($"{repository}@{digest}: the source's blob bytes ({bytes.Length}, expected {size}) hash to {Digest.Of(bytes)}");
            Interlocked.Add(ref Counts.BlobBytes, bytes.Length);
            return bytes;
        }

        private async Task PutManifestAsync(string destination, string repository, string reference, Manifest manifest, CancellationToken ct)
        {
            var request = new HttpRequestMessage(HttpMethod.Put, $"http://{destination}/v2/{repository}/manifests/{reference}")
            {
                Content = new ByteArrayContent(manifest.Bytes),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(manifest.Document.MediaType);
            using var response = await SendAsync(request, ct);
            Interlocked.Increment(ref Counts.ManifestPuts);
            Expect(response, HttpStatusCode.Created, $"manifest PUT {repository}:{reference}");
            var confirmed = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault() : null;
            if (confirmed != manifest.Digest.Value)
                throw new InvalidOperationException($"manifest PUT {destination}/{repository}:{reference}: Docker-Content-Digest '{confirmed}', expected {manifest.Digest}");
        }

        private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            using (request)
            {
                Interlocked.Increment(ref Counts.Requests);
                return await http.SendAsync(request, ct);
            }
        }

        private static void Expect(HttpResponseMessage response, HttpStatusCode expected, string what)
        {
            if (response.StatusCode != expected)
                throw new InvalidOperationException($"{what} {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: " +
                    $"{(int)response.StatusCode} {response.StatusCode}, expected {(int)expected}");
        }
    }
}
