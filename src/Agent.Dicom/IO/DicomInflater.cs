using System.IO.Compression;

namespace Agent.Dicom.IO;

/// <summary>Inflates a Deflated Explicit VR Little Endian dataset (raw deflate, RFC 1951) with a size limit against bombs.</summary>
internal static class DicomInflater
{
    public static ReadOnlyMemory<byte> Inflate(DicomByteSource source, DicomReaderOptions options, CancellationToken cancellationToken)
    {
        long start = source.Position;
        var compressed = new DicomSourceStream(source);
        // PS3.5 A.5 says raw deflate (RFC 1951); some writers wrap it in a zlib header (RFC 1950), accepted too.
        bool zlib = source.Ensure(2) && IsZlibHeader(source.Peek(2));
        using Stream inflater = zlib
            ? new ZLibStream(compressed, CompressionMode.Decompress, leaveOpen: true)
            : new DeflateStream(compressed, CompressionMode.Decompress, leaveOpen: true);
        var output = new MemoryStream();
        var chunk = new byte[64 * 1024];
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int n = inflater.Read(chunk, 0, chunk.Length);
                if (n == 0) break;
                if (output.Length + n > options.MaxDecompressedLength)
                    throw new DicomFormatException($"deflated dataset inflates to more than {options.MaxDecompressedLength} bytes", start);
                output.Write(chunk, 0, n);
            }
        }
        catch (InvalidDataException ex)
        {
            throw new DicomFormatException($"deflated dataset is corrupt: {ex.Message}", start, ex);
        }
        return output.GetBuffer().AsMemory(0, (int)output.Length);
    }

    /// <summary>CMF says deflate with a window of at most 32 KiB and the 16-bit header is a multiple of 31 (RFC 1950 2.2).</summary>
    private static bool IsZlibHeader(ReadOnlySpan<byte> b) => (b[0] & 0x0F) == 8 && (b[0] >> 4) <= 7 && ((b[0] << 8) | b[1]) % 31 == 0;

    /// <summary>The unread rest of a byte source as a read-only stream.</summary>
    private sealed class DicomSourceStream(DicomByteSource source) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => source.Position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (buffer.IsEmpty || !source.Ensure(1)) return 0;
            int n = Math.Min(buffer.Length, source.Available);
            source.AvailableSpan[..n].CopyTo(buffer);
            source.Advance(n);
            return n;
        }
    }
}
