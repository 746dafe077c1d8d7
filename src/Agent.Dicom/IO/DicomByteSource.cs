using System.Buffers;

namespace Agent.Dicom.IO;

/// <summary>
/// Buffered forward reader over a byte array or a stream, with the absolute position and, when knowable, the total
/// length, so no length field is trusted beyond the bytes that exist.
/// </summary>
internal sealed class DicomByteSource : IDisposable
{
    private const int StreamWindow = 8 * 1024;
    private const int SmallValue = 256;
    private const int SlabSize = 4096;

    // Bytes not yet read occupy _window[_pos.._end). In memory mode _window is the caller's data and never refills.
    private readonly Stream? _stream;
    private byte[] _array;
    private ReadOnlyMemory<byte> _memory;
    private int _pos;
    private int _end;
    private long _windowOrigin;
    private bool _eof;
    private byte[]? _slab;
    private int _slabUsed;

    public DicomByteSource(ReadOnlyMemory<byte> data, long origin = 0)
    {
        _array = [];
        _memory = data;
        _end = data.Length;
        _windowOrigin = origin;
        Length = origin + data.Length;
        _eof = true;
    }

    public DicomByteSource(Stream stream, bool allowLazy = true)
    {
        _stream = stream;
        // Values are always copied out of the window, so it can go back to the pool when parsing ends.
        _array = ArrayPool<byte>.Shared.Rent(StreamWindow);
        _memory = _array;
        _windowOrigin = stream.CanSeek ? stream.Position : 0;
        Length = stream.CanSeek ? stream.Length : -1;
        FilePath = allowLazy && stream is FileStream fs ? fs.Name : null;
    }

    /// <summary>Total length of the source in bytes, or -1 when the stream cannot tell.</summary>
    public long Length { get; }

    /// <summary>The file behind the stream, for lazy value buffers; null for memory and other streams.</summary>
    public string? FilePath { get; }

    public bool IsMemory => _stream is null;

    public long Position => _windowOrigin + _pos;

    /// <summary>Bytes left, or long.MaxValue when unknown.</summary>
    public long Remaining => Length >= 0 ? Length - Position : long.MaxValue;

    public bool IsAtEnd => !Ensure(1);

    /// <summary>Makes at least <paramref name="count"/> unread bytes available; false at end of data.</summary>
    public bool Ensure(int count)
    {
        if (_end - _pos >= count) return true;
        if (_eof || _stream is null) return false;
        if (count > _array.Length) throw new InvalidOperationException("window too small");
        // Compact and refill.
        int have = _end - _pos;
        if (have > 0) Buffer.BlockCopy(_array, _pos, _array, 0, have);
        _windowOrigin += _pos;
        _pos = 0;
        _end = have;
        while (_end < count)
        {
            int n = _stream.Read(_array, _end, _array.Length - _end);
            if (n == 0) { _eof = true; break; }
            _end += n;
        }
        return _end - _pos >= count;
    }

    public ReadOnlySpan<byte> Peek(int count) => _memory.Span.Slice(_pos, count);

    public int Available => _end - _pos;

    public ReadOnlySpan<byte> AvailableSpan => _memory.Span[_pos.._end];

    public void Advance(int count) => _pos += count;

    /// <summary>Reads exactly <paramref name="length"/> bytes as a value, failing cleanly at end of data.</summary>
    public ReadOnlyMemory<byte> ReadValue(long length)
    {
        if (length == 0) return ReadOnlyMemory<byte>.Empty;
        if (length > Remaining) throw Truncated(length);
        if (_stream is null)
        {
            var slice = _memory.Slice(_pos, (int)length);
            _pos += (int)length;
            return slice;
        }
        int len = (int)length;
        if (len <= SmallValue && _end - _pos >= len)
        {
            // Small values share slabs: one allocation per few dozen elements instead of one each.
            if (_slab is null || SlabSize - _slabUsed < len)
            {
                _slab = new byte[SlabSize];
                _slabUsed = 0;
            }
            _memory.Span.Slice(_pos, len).CopyTo(_slab.AsSpan(_slabUsed));
            var slice = _slab.AsMemory(_slabUsed, len);
            _slabUsed += len;
            _pos += len;
            return slice;
        }
        if (_end - _pos >= len)
        {
            var copy = _memory.Slice(_pos, len).ToArray();
            _pos += len;
            return copy;
        }
        // Grow the destination as data really arrives, so a lying length on a non-seekable stream costs at most
        // twice what the stream holds.
        long valueStart = Position;
        var dest = new byte[Length >= 0 ? len : Math.Min(len, 1 << 20)];
        int filled = _end - _pos;
        _memory.Span.Slice(_pos, filled).CopyTo(dest);
        while (filled < len)
        {
            if (filled == dest.Length) Array.Resize(ref dest, (int)Math.Min((long)dest.Length * 2, len));
            int n = _stream.Read(dest, filled, dest.Length - filled);
            if (n == 0)
            {
                _eof = true;
                throw new DicomFormatException($"value of {length} bytes is truncated: only {filled} bytes left", valueStart);
            }
            filled += n;
        }
        ResetWindow(valueStart + len);
        return dest;
    }

    /// <summary>Moves past <paramref name="length"/> bytes without reading them (seeks when it can).</summary>
    public void Skip(long length)
    {
        if (length > Remaining) throw Truncated(length);
        if (length <= _end - _pos) { _pos += (int)length; return; }
        var target = Position + length;
        if (_stream is { CanSeek: true })
        {
            _stream.Seek(target, SeekOrigin.Begin);
            ResetWindow(target);
            return;
        }
        // Non-seekable: read and drop.
        length -= _end - _pos;
        _pos = _end;
        while (length > 0)
        {
            if (!Ensure(1)) throw Truncated(length);
            int n = (int)Math.Min(length, _end - _pos);
            _pos += n;
            length -= n;
        }
    }

    private void ResetWindow(long absolutePosition)
    {
        _windowOrigin = absolutePosition;
        _pos = 0;
        _end = 0;
    }

    /// <summary>Returns the stream window to the pool; the source must not be used afterwards.</summary>
    public void Dispose()
    {
        if (_stream is null || _array.Length == 0) return;
        ArrayPool<byte>.Shared.Return(_array);
        _array = [];
        _memory = ReadOnlyMemory<byte>.Empty;
        _pos = _end = 0;
        _eof = true;
    }

    public DicomFormatException Truncated(long length)
        => new($"value of {length} bytes goes past the end of the data ({Remaining} bytes left)", Position);
}
