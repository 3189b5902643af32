using System.Net;

namespace Promoter.Registry;

/// <summary>
/// A cancellation that fires when nothing moved for a while: <see cref="Touch"/> restarts the clock (a byte was written or
/// read), <see cref="Pause"/> stops it (the caller, not the registry, is the slow one). Linked to the caller's token, so
/// <see cref="Expired"/> tells a timeout from the caller's own cancellation.
/// </summary>
internal sealed class IdleTimer : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationToken _outer;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _first;

    /// <summary>Starts the clock at <paramref name="first"/> (the first wait may be longer, e.g. connect plus answer), now or,
    /// when <paramref name="deferred"/>, at <see cref="Start"/> (the request waited for its turn first).</summary>
    public IdleTimer(TimeSpan timeout, CancellationToken outer, TimeSpan? first = null, bool deferred = false)
    {
        _outer = outer;
        _timeout = timeout;
        _first = first ?? timeout;
        _source = CancellationTokenSource.CreateLinkedTokenSource(outer);
        if (!deferred) Restart(_first);
    }

    /// <summary>Starts a deferred clock at its first wait.</summary>
    public void Start() => Restart(_first);

    /// <summary>Cancelled when the clock runs out or the caller cancels.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>True when the clock ran out (and the caller did not cancel).</summary>
    public bool Expired => _source.IsCancellationRequested && !_outer.IsCancellationRequested;

    /// <summary>Something moved: the registry gets the whole timeout again.</summary>
    public void Touch() => Restart(_timeout);

    /// <summary>Stops the clock until the next <see cref="Touch"/>.</summary>
    public void Pause() => Restart(Timeout.InfiniteTimeSpan);

    public void Dispose() => _source.Dispose();

    private void Restart(TimeSpan after)
    {
        try
        {
            if (!_source.IsCancellationRequested) _source.CancelAfter(after);
        }
        catch (ObjectDisposedException)
        {
            // The request ended meanwhile.
        }
    }
}

/// <summary>
/// A request body that touches an <see cref="IdleTimer"/> after every write to the connection, so an upload that keeps
/// moving never times out while a registry that stops reading it does. Carries the inner content's headers.
/// </summary>
internal sealed class WatchedContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly IdleTimer _timer;

    public WatchedContent(HttpContent inner, IdleTimer timer)
    {
        _inner = inner;
        _timer = timer;
        foreach (var header in inner.Headers.NonValidated)
            if (!header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                Headers.TryAddWithoutValidation(header.Key, header.Value);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await using var touching = new TouchingWriteStream(stream, _timer);
        await _inner.CopyToAsync(touching, cancellationToken);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _inner.Headers.ContentLength ?? -1;
        return length >= 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>Forwards writes to the connection's stream (which it does not own) and touches the timer after each.</summary>
    private sealed class TouchingWriteStream(Stream inner, IdleTimer timer) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            timer.Touch();
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await inner.WriteAsync(buffer, cancellationToken);
            timer.Touch();
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}

/// <summary>
/// An answer body whose every read must bring data within the read timeout; a registry that stalls mid-body fails the
/// read with a <see cref="RegistryException"/> naming the registry and the request (instead of blocking forever). The
/// clock runs only while a read waits, so a slow consumer is never blamed on the registry.
/// </summary>
internal sealed class IdleTimeoutStream(Stream inner, TimeSpan timeout, Func<Exception, RegistryException> timedOut) : ReadOnlyWrapperStream(inner)
{
    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var timer = new IdleTimer(timeout, cancellationToken);
        try
        {
            return await Inner.ReadAsync(buffer, timer.Token);
        }
        catch (Exception e) when (timer.Expired && e is OperationCanceledException or IOException)
        {
            throw timedOut(e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
}
