using System.Buffers;
using System.Buffers.Binary;
using Agent.Dicom;

namespace Agent.Dicom.Network.Pdu;

/// <summary>A PDU as read from the wire: its type and body (after the 6-byte header), valid until the next read.</summary>
public readonly record struct RawPdu(PduType Type, ReadOnlyMemory<byte> Body);

/// <summary>A PDU whose declared length exceeds what this side accepts; decided from the header, before any allocation.</summary>
public sealed class PduTooLargeException(string message) : IOException(message);

/// <summary>
/// Reads whole PDUs from a stream into one pooled buffer. Lengths are checked against the configured limits from the
/// header alone, so a hostile length never causes an allocation; the buffer is at most the limit plus read-ahead.
/// </summary>
public sealed class PduReader : IDisposable
{
    /// <summary>Association PDUs carry UIDs and user identity tokens; nothing legitimate comes near this.</summary>
    public const int MaxAssociatePduLength = 256 * 1024;

    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;

    public PduReader(Stream stream, uint maxDataPduLength)
    {
        _stream = stream;
        MaxDataPduLength = maxDataPduLength;
        _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    }

    /// <summary>Largest P-DATA-TF length accepted (what this side advertised); 0 means no limit beyond 64 MiB.</summary>
    public uint MaxDataPduLength { get; set; }

    /// <summary>Total bytes read from the stream.</summary>
    public long BytesRead { get; private set; }

    /// <summary>Raised after a PDU header is read; lets the caller switch to the body timeout.</summary>
    public Action? HeaderReceived { get; set; }

    /// <summary>
    /// Reads the next PDU. Returns null on a clean end of stream before any header byte; throws
    /// <see cref="EndOfStreamException"/> when the stream ends inside a PDU and <see cref="PduTooLargeException"/> or
    /// <see cref="DicomFormatException"/> for invalid headers.
    /// </summary>
    public async ValueTask<RawPdu?> ReadAsync(CancellationToken headerToken, CancellationToken bodyToken)
    {
        if (!await FillAsync(PduCodec.HeaderLength, allowEof: true, headerToken).ConfigureAwait(false)) return null;
        HeaderReceived?.Invoke();
        var header = _buffer.AsSpan(_start, PduCodec.HeaderLength);
        var type = (PduType)header[0];
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[2..]);
        uint limit = type switch
        {
            PduType.DataTransfer => MaxDataPduLength == 0 ? 64u << 20 : MaxDataPduLength,
            PduType.AssociateRequest or PduType.AssociateAccept => MaxAssociatePduLength,
            PduType.AssociateReject or PduType.ReleaseRequest or PduType.ReleaseResponse or PduType.Abort => 4,
            _ => throw new DicomFormatException($"unknown PDU type 0x{header[0]:X2}"),
        };
        if (length > limit) throw new PduTooLargeException($"{type} PDU of {length} bytes exceeds the limit of {limit}");
        var total = PduCodec.HeaderLength + (int)length;
        await FillAsync(total, allowEof: false, bodyToken).ConfigureAwait(false);
        var body = _buffer.AsMemory(_start + PduCodec.HeaderLength, (int)length);
        _start += total;
        return new RawPdu(type, body);
    }

    private async ValueTask<bool> FillAsync(int needed, bool allowEof, CancellationToken cancellationToken)
    {
        if (_end - _start >= needed) return true;
        if (_start > 0)
        {
            // Compact: the previous PDU's body is no longer referenced once the caller asks for the next one.
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (needed > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, 64 * 1024));
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        while (_end < needed)
        {
            var n = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                if (allowEof && _end == 0) return false;
                throw new EndOfStreamException($"connection closed inside a PDU ({_end} of {needed} bytes)");
            }
            _end += n;
            BytesRead += n;
        }
        return true;
    }

    public void Dispose()
    {
        var b = _buffer;
        _buffer = [];
        if (b.Length > 0) ArrayPool<byte>.Shared.Return(b);
    }
}
