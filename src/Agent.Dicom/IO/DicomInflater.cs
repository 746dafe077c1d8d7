using System.IO.Compression;

namespace Agent.Dicom.IO;

/// <summary>
/// Inflates a Deflated Explicit VR Little Endian dataset (raw deflate, RFC 1951) as a stream the parser reads in
/// chunks, so a metadata read (StopAt) inflates only what it needs and a deflate bomb stops at the size limit.
/// </summary>
internal static class DicomInflater
{
    public static Stream Open(DicomByteSource source, DicomReaderOptions options)
    {
        long start = source.Position;
        var compressed = new DicomSourceStream(source);
        // PS3.5 A.5 says raw deflate (RFC 1951); some writers wrap it in a zlib header (RFC 1950), accepted too.
        bool zlib = source.Ensure(2) && IsZlibHeader(source.Peek(2));
        Stream inflater = zlib
            ? new ZLibStream(compressed, CompressionMode.Decompress, leaveOpen: true)
            : new DeflateStream(compressed, CompressionMode.Decompress, leaveOpen: true);
        return new BoundedInflateStream(inflater, options.MaxDecompressedLength, start);
    }

    /// <summary>CMF says deflate with a window of at most 32 KiB and the 16-bit header is a multiple of 31 (RFC 1950 2.2).</summary>
    private static bool IsZlibHeader(ReadOnlySpan<byte> b) => (b[0] & 0x0F) == 8 && (b[0] >> 4) <= 7 && ((b[0] << 8) | b[1]) % 31 == 0;

    /// <summary>Counts inflated bytes against the limit and reports corrupt data as a format error.</summary>
    private sealed class BoundedInflateStream(Stream inner, long limit, long start) : ReadOnlyStream
    {
        private long _total;

        public override int Read(Span<byte> buffer)
        {
            int n;
            try
            {
                n = inner.Read(buffer);
            }
            catch (InvalidDataException ex)
            {
                throw new DicomFormatException($"deflated dataset is corrupt: {ex.Message}", start, ex);
            }
            _total += n;
            if (_total > limit) throw new DicomFormatException($"deflated dataset inflates to more than {limit} bytes", start);
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>The unread rest of a byte source as a read-only stream.</summary>
    private sealed class DicomSourceStream(DicomByteSource source) : ReadOnlyStream
    {
        public override int Read(Span<byte> buffer)
        {
            if (buffer.IsEmpty || !source.Ensure(1)) return 0;
            int n = Math.Min(buffer.Length, source.Available);
            source.AvailableSpan[..n].CopyTo(buffer);
            source.Advance(n);
            return n;
        }
    }

    private abstract class ReadOnlyStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public abstract override int Read(Span<byte> buffer);
    }
}
