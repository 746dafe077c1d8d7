using System.Security.Cryptography;

namespace Agent.Host.Ingest;

/// <summary>
/// A write-only pass-through that hashes (SHA-256) every byte on its way to the file and keeps a copy of the first
/// <see cref="HeadCapacity"/> bytes, so neither the hash nor the header parse needs to read the file back.
/// </summary>
internal sealed class HashingWriteStream(Stream inner) : Stream
{
    /// <summary>Enough for the Part 10 header and a scanner's attributes up to Pixel Data in nearly every instance.</summary>
    public const int HeadCapacity = 64 * 1024;

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _head = new byte[HeadCapacity];
    private long _length;

    /// <summary>The first bytes written (all of them when <see cref="Length"/> is at most <see cref="HeadCapacity"/>).</summary>
    public ReadOnlyMemory<byte> Head => _head.AsMemory(0, (int)Math.Min(_length, HeadCapacity));

    private void Capture(ReadOnlySpan<byte> buffer)
    {
        if (_length >= HeadCapacity) return;
        var n = (int)Math.Min(buffer.Length, HeadCapacity - _length);
        buffer[..n].CopyTo(_head.AsSpan((int)_length));
    }

    public string HashHex() => Convert.ToHexStringLower(_hash.GetCurrentHash());

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _length;
    public override long Position { get => _length; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        Capture(buffer);
        inner.Write(buffer);
        _length += buffer.Length;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _hash.AppendData(buffer.Span);
        Capture(buffer.Span);
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        _length += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hash.Dispose();
        base.Dispose(disposing);
    }
}
