using System.Buffers.Binary;
using System.Text;
using Agent.Dicom;

namespace Agent.Dicom.Network.Pdu;

/// <summary>A growable big-endian byte writer for PDU encoding.</summary>
internal sealed class BigEndianWriter(int capacity)
{
    private byte[] _buffer = new byte[capacity];
    public int Length { get; private set; }

    private Span<byte> Grow(int n)
    {
        if (Length + n > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + n));
        var span = _buffer.AsSpan(Length, n);
        Length += n;
        return span;
    }

    /// <summary>The next <paramref name="n"/> bytes, for a caller that fills them itself.</summary>
    public Span<byte> Append(int n) => Grow(n);

    public void U8(byte v) => Grow(1)[0] = v;
    public void U16(ushort v) => BinaryPrimitives.WriteUInt16BigEndian(Grow(2), v);
    public void U32(uint v) => BinaryPrimitives.WriteUInt32BigEndian(Grow(4), v);
    public void Bytes(ReadOnlySpan<byte> v) => v.CopyTo(Grow(v.Length));
    public void Zeros(int n) => Grow(n).Clear();
    public void Ascii(string s) => Encoding.ASCII.GetBytes(s, Grow(Encoding.ASCII.GetByteCount(s)));

    /// <summary>An AE title field: 16 bytes, space padded.</summary>
    public void Ae(string ae)
    {
        var span = Grow(16);
        span.Fill((byte)' ');
        var n = Encoding.ASCII.GetBytes(ae.AsSpan(0, Math.Min(ae.Length, 16)), span);
        _ = n;
    }

    public int Reserve32() { var at = Length; U32(0); return at; }
    public void Patch32(int at, uint v) => BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(at), v);
    public void Patch16(int at, ushort v) => BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(at), v);
    public byte[] ToArray() => _buffer.AsSpan(0, Length).ToArray();
}

/// <summary>A bounds-checked big-endian reader: every overrun becomes a <see cref="DicomFormatException"/>.</summary>
internal ref struct BigEndianReader(ReadOnlyMemory<byte> data)
{
    private readonly ReadOnlyMemory<byte> _data = data;
    private int _pos;

    public readonly int Remaining => _data.Length - _pos;

    private ReadOnlySpan<byte> Take(int n)
    {
        if (n < 0 || n > Remaining) throw new DicomFormatException($"field of {n} bytes runs past the end of its item ({Remaining} left)", _pos);
        var s = _data.Span.Slice(_pos, n);
        _pos += n;
        return s;
    }

    public byte U8() => Take(1)[0];
    public ushort U16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));
    public uint U32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));
    public void Skip(int n) => Take(n);

    public readonly void Expect(int n)
    {
        if (Remaining != n) throw new DicomFormatException($"expected {n} bytes, found {Remaining}", _pos);
    }

    public ReadOnlyMemory<byte> Bytes(int n)
    {
        Take(n);
        return _data.Slice(_pos - n, n).ToArray();
    }

    public ReadOnlyMemory<byte> Rest() => Bytes(Remaining);

    public BigEndianReader Sub(int n)
    {
        Take(n);
        return new BigEndianReader(_data.Slice(_pos - n, n));
    }

    /// <summary>ASCII text with NUL/space padding removed (UIDs may be padded with NUL by some peers).</summary>
    public string Ascii(int n)
    {
        var s = Take(n);
        foreach (var b in s)
            if (b > 0x7E || (b < 0x20 && b != 0)) throw new DicomFormatException("non-ASCII byte in a UID or name field", _pos);
        return Encoding.ASCII.GetString(s).TrimEnd('\0', ' ');
    }

    /// <summary>An AE title: 16 bytes; leading and trailing spaces are not significant.</summary>
    public string Ae()
    {
        var s = Take(16);
        return Encoding.ASCII.GetString(s).Trim(' ', '\0');
    }
}
