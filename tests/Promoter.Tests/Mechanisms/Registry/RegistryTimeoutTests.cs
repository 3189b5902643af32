using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FluentAssertions;
using Promoter.Oci;
using Promoter.Registry;
using Promoter.Tests.Support;
using Xunit;

namespace Promoter.Tests.Registry;

/// <summary>
/// Fault suite, class "a registry that stops answering": against real TCP listeners on loopback, every request has a
/// connect timeout and a read timeout, so a registry that accepts and never answers, stalls in the middle of a body,
/// or stops reading an upload fails the request with an error naming the registry and the request, instead of hanging;
/// a slow transfer that keeps moving does not time out.
/// </summary>
public sealed class RegistryTimeoutTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15); // far below "forever", generous for a shared machine
    private static readonly byte[] Payload = Encoding.ASCII.GetBytes(new string('x', 4000));
    private static readonly Digest PayloadDigest = Digest.Of(Payload);

    private static RegistryClient Client(string host, int retries = 0) => new(host, new RegistryClientOptions
    {
        ConnectTimeout = Short,
        ReadTimeout = Short,
        MaxRetries = retries,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
    });

    /// <summary>Runs <paramref name="act"/>, which must fail with a <see cref="RegistryException"/> well within <see cref="Bound"/>.</summary>
    private static async Task<RegistryException> TimesOut(Func<Task> act)
    {
        var clock = Stopwatch.StartNew();
        var run = act();
        var finished = await Task.WhenAny(run, Task.Delay(Bound));
        finished.Should().BeSameAs(run, "the request must end on its own within {0}", Bound);
        var error = (await run.Invoking(t => t).Should().ThrowAsync<RegistryException>()).Which;
        clock.Elapsed.Should().BeLessThan(Bound);
        return error;
    }

    [Fact]
    public async Task A_registry_that_accepts_and_never_answers_fails_ping_naming_itself_and_the_request()
    {
        using var server = FaultProxy.Standalone(new FaultRule("^", FaultKind.Silence, int.MaxValue));
        using var client = Client(server.Host);

        var error = await TimesOut(() => client.PingAsync());

        error.Message.Should().Be($"ping {server.Host}: registry {server.Host} sent nothing for 0.5 s (read timeout): " +
            "it took the connection but neither read the request nor answered it.");
        error.StatusCode.Should().BeNull();
    }

    [Fact]
    public async Task Every_kind_of_request_to_a_silent_registry_names_its_reference()
    {
        using var server = FaultProxy.Standalone(new FaultRule("^", FaultKind.Silence, int.MaxValue));
        using var client = Client(server.Host);
        var digest = Digest.Of("x"u8);

        (await TimesOut(() => client.HeadManifestAsync("team/app", "1.0"))).Message.Should().StartWith($"check manifest {server.Host}/team/app:1.0: registry {server.Host} sent nothing");
        (await TimesOut(() => client.GetManifestAsync("team/app", digest.Value))).Message.Should().StartWith($"get manifest {server.Host}/team/app@{digest}:");
        (await TimesOut(() => client.HeadBlobAsync("team/app", digest))).Message.Should().StartWith($"check blob {server.Host}/team/app@{digest}:");
        (await TimesOut(() => client.ListTagsAsync("team/app"))).Message.Should().StartWith($"list tags of {server.Host}/team/app:");
        (await TimesOut(() => client.UploadBlobAsync("team/app", digest, "x"u8.ToArray()))).Message.Should().StartWith($"start upload of blob {server.Host}/team/app@{digest}:");
        (await TimesOut(() => client.PutManifestAsync("team/app", "1.0", "{}"u8.ToArray(), MediaTypes.OciManifest))).Message.Should().StartWith($"put manifest {server.Host}/team/app:1.0:");
    }

    [Fact]
    public async Task A_timeout_is_retried_twice_at_most()
    {
        using var server = FaultProxy.Standalone(new FaultRule("^", FaultKind.Silence, int.MaxValue));
        using var client = Client(server.Host, retries: 10);

        (await TimesOut(() => client.PingAsync())).Message.Should().Contain("gave up after 3 attempts");

        server.Connections.Should().Be(3, "a registry that stayed silent for the whole read timeout three times is down, not slow");
    }

    [Fact]
    public async Task A_blob_whose_body_stalls_midway_fails_the_read_naming_the_blob()
    {
        using var server = FaultProxy.Standalone(new FaultRule("^", FaultKind.Send, int.MaxValue, Stall: Timeout.InfiniteTimeSpan)
        {
            Bytes = [.. HttpHead.Answer(200, ("Content-Length", Payload.Length.ToString()), ("Docker-Content-Digest", PayloadDigest.Value)), .. Payload[..1000]],
        });
        using var client = Client(server.Host);

        await using var blob = await client.GetBlobAsync("team/app", PayloadDigest);
        var error = await TimesOut(() => blob.CopyToAsync(Stream.Null));

        error.Message.Should().Be($"get blob {server.Host}/team/app@{PayloadDigest}: registry {server.Host} sent nothing for 0.5 s in the middle of the answer (read timeout).");
    }

    [Fact]
    public async Task A_synchronous_read_of_a_stalled_blob_ends_too()
    {
        using var server = FaultProxy.Standalone(new FaultRule("^", FaultKind.Send, int.MaxValue, Stall: Timeout.InfiniteTimeSpan)
        {
            Bytes = [.. HttpHead.Answer(200, ("Content-Length", Payload.Length.ToString())), .. Payload[..10]],
        });
        using var client = Client(server.Host);

        await using var blob = await client.GetBlobAsync("team/app", PayloadDigest);
        var error = await TimesOut(() => Task.Run(() => blob.CopyTo(Stream.Null)));

        error.Message.Should().Contain("in the middle of the answer (read timeout)");
    }

    [Fact]
    public async Task A_manifest_whose_body_stalls_midway_fails_naming_the_manifest()
    {
        using var server = FaultProxy.Standalone(new FaultRule("^", FaultKind.Send, int.MaxValue, Stall: Timeout.InfiniteTimeSpan)
        {
            Bytes = [.. HttpHead.Answer(200, ("Content-Length", "500"), ("Content-Type", MediaTypes.OciManifest)), .. "{\"schemaVersion\":"u8.ToArray()],
        });
        using var client = Client(server.Host);

        var error = await TimesOut(() => client.GetManifestAsync("team/app", "1.0"));

        error.Message.Should().StartWith($"get manifest {server.Host}/team/app:1.0: registry {server.Host} sent nothing for 0.5 s in the middle of the answer");
    }

    [Fact]
    public async Task A_slow_answer_that_keeps_moving_does_not_time_out()
    {
        // 4000 bytes in twenty pieces 250 ms apart: 5 s in all, two and a half times the read timeout, but never more than
        // an eighth of it in silence (a margin that holds on a loaded machine).
        using var server = FaultProxy.Standalone(new FaultRule("^", FaultKind.Send, int.MaxValue)
        {
            Bytes = [.. HttpHead.Answer(200, ("Content-Length", Payload.Length.ToString()), ("Docker-Content-Digest", PayloadDigest.Value),
                ("Content-Type", MediaTypes.OciManifest)), .. Payload],
            Piece = 200,
            Pause = TimeSpan.FromMilliseconds(250),
        });
        using var client = new RegistryClient(server.Host, new RegistryClientOptions
        {
            ConnectTimeout = TimeSpan.FromSeconds(2),
            ReadTimeout = TimeSpan.FromSeconds(2),
            MaxRetries = 0,
        });

        var manifest = await client.GetManifestAsync("team/app", "1.0");

        manifest.Digest.Should().Be(PayloadDigest);
        manifest.Bytes.Should().Equal(Payload);
    }

    [Fact]
    public async Task An_upload_the_registry_stops_reading_fails_naming_the_blob()
    {
        // 64 MiB, more than the loopback socket buffers hold, so the client's writes block once the registry stops reading.
        var content = new byte[64 * 1024 * 1024];
        var digest = Digest.Of(content);
        using var server = FaultProxy.Standalone(
            new FaultRule("^POST ", FaultKind.Send, int.MaxValue) { Bytes = HttpHead.Answer(202, ("Location", "/v2/team/app/blobs/uploads/session-1"), ("Content-Length", "0")) },
            new FaultRule("^", FaultKind.Silence, int.MaxValue) { ReadBody = false });
        using var client = new RegistryClient(server.Host, new RegistryClientOptions
        {
            ConnectTimeout = Short,
            ReadTimeout = Short,
            MaxRetries = 0,
            ChunkedUploadThreshold = content.Length,
        });

        var error = await TimesOut(() => client.UploadBlobAsync("team/app", digest, content));

        error.Message.Should().StartWith($"commit upload of blob {server.Host}/team/app@{digest}: registry {server.Host} sent nothing for 0.5 s (read timeout)");
    }

    [Fact]
    public async Task A_registry_whose_accept_queue_is_full_fails_the_connect_within_the_connect_timeout()
    {
        // A listener that never accepts, with its accept queue filled: Linux then drops further SYNs, so connecting hangs.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var fillers = new List<Socket>();
        try
        {
            for (var i = 0; i < 8; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                var connect = filler.ConnectAsync(IPAddress.Loopback, port);
                // The queue is full when a connect hangs; on a loaded machine a connect that the queue takes may still
                // need a few hundred milliseconds, so a filler gets 2 s before the queue counts as full.
                if (await Task.WhenAny(connect, Task.Delay(2000)) != connect) break;
            }
            using var client = Client($"127.0.0.1:{port}");

            var error = await TimesOut(() => client.PingAsync());

            error.Message.Should().Be($"ping 127.0.0.1:{port}: registry 127.0.0.1:{port} did not accept the connection within 0.5 s (connect timeout).");
        }
        finally
        {
            foreach (var filler in fillers) filler.Dispose();
        }
    }

    [Fact]
    public void The_defaults_bound_every_wait()
    {
        var options = new RegistryClientOptions();

        options.ConnectTimeout.Should().Be(TimeSpan.FromSeconds(30));
        options.ReadTimeout.Should().Be(TimeSpan.FromMinutes(2));
    }
}
