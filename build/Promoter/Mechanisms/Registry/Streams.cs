using System.Security.Cryptography;
using Promoter.Oci;

namespace Promoter.Registry;

/// <summary>
/// A read-only, non-seekable stream that forwards reads to <c>inner</c> and disposes it with itself; the subclasses add
/// what else a read or the disposal does.
/// </summary>
internal abstract class ReadOnlyWrapperStream(Stream inner) : Stream
{
    protected Stream Inner => inner;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>A read-only stream over an HTTP response body that disposes the response with itself.</summary>
internal sealed class ResponseOwningStream(Stream inner, HttpResponseMessage response) : ReadOnlyWrapperStream(inner)
{
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) response.Dispose();
    }
}

/// <summary>
/// A read-only stream that hashes every byte read from <c>inner</c> and, when the end is reached, throws a
/// <see cref="RegistryException"/> unless the bytes hash to the expected digest (and number the expected length).
/// </summary>
internal sealed class DigestVerifyingStream(Stream inner, Digest expected, long? expectedLength, string what) : ReadOnlyWrapperStream(inner)
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _read;
    private bool _verified;

    public override long Length => expectedLength ?? throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Account(buffer.AsSpan(offset, count), Inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await Inner.ReadAsync(buffer, cancellationToken);
        return Account(buffer.Span, read);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Account(Span<byte> buffer, int read)
    {
        if (read > 0)
        {
            _hash.AppendData(buffer[..read]);
            _read += read;
            return read;
        }
        if (_verified) return 0;
        _verified = true;
        var actual = Digest.FromHash(_hash.GetHashAndReset());
        if (expectedLength is { } length && length != _read)
            throw new RegistryException($"get blob {what}: the registry sent {_read} bytes, expected {length}.", what);
        if (actual != expected)
            throw new RegistryException($"get blob {what}: digest mismatch: the {_read} bytes served hash to {actual}.", what);
        return 0;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _hash.Dispose();
    }
}
