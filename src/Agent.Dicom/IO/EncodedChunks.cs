namespace Agent.Dicom.IO;

/// <summary>
/// An encoded dataset as a list of byte runs: headers and small values copied into scratch blocks, large values kept
/// as references to their buffers (a lazy file value is streamed, not loaded). Sync and async output walk the same list.
/// </summary>
internal sealed class EncodedChunks
{
    private const int BlockSize = 32 * 1024;

    private readonly List<(byte[]? Bytes, int Count, DicomBuffer? Buffer)> _chunks = [];
    private byte[] _block = new byte[BlockSize];
    private int _used;

    public long Length { get; private set; }

    public Span<byte> GetSpan(int size)
    {
        if (_block.Length - _used < size)
        {
            Seal();
            if (size > _block.Length) _block = new byte[size];
        }
        return _block.AsSpan(_used, size);
    }

    public void Advance(int count)
    {
        _used += count;
        Length += count;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            int n = Math.Min(bytes.Length, BlockSize);
            bytes[..n].CopyTo(GetSpan(n));
            Advance(n);
            bytes = bytes[n..];
        }
    }

    public void WriteByte(byte value)
    {
        GetSpan(1)[0] = value;
        Advance(1);
    }

    public void Append(DicomBuffer buffer)
    {
        Seal();
        _chunks.Add((null, 0, buffer));
        Length += buffer.Length;
    }

    private void Seal()
    {
        if (_used == 0) return;
        _chunks.Add((_block, _used, null));
        _block = new byte[BlockSize];
        _used = 0;
    }

    public void CopyTo(Stream destination)
    {
        foreach (var (bytes, count, buffer) in _chunks)
        {
            if (bytes is not null) destination.Write(bytes, 0, count);
            else buffer!.CopyTo(destination);
        }
        if (_used > 0) destination.Write(_block, 0, _used);
    }

    public async ValueTask CopyToAsync(Stream destination, CancellationToken cancellationToken)
    {
        foreach (var (bytes, count, buffer) in _chunks)
        {
            if (bytes is not null) await destination.WriteAsync(bytes.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
            else await buffer!.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
        }
        if (_used > 0) await destination.WriteAsync(_block.AsMemory(0, _used), cancellationToken).ConfigureAwait(false);
    }

    public byte[] ToArray()
    {
        using var ms = new MemoryStream((int)Math.Min(Length, Array.MaxLength));
        CopyTo(ms);
        return ms.ToArray();
    }
}
