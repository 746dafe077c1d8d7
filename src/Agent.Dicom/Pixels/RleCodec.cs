using System.Buffers.Binary;

namespace Agent.Dicom.Pixels;

/// <summary>
/// RLE Lossless (PS3.5 Annex G). A frame is one fragment: a 64-byte header (segment count, then 15 little-endian
/// offsets), then one PackBits segment per byte plane, ordered sample by sample and most significant byte first.
/// Decoded frames are pixel-interleaved (planar configuration 0), little endian.
/// </summary>
public static class RleCodec
{
    private const int HeaderLength = 64;
    private const int MaxSegments = 15;

    /// <summary>Decodes one RLE frame into native little-endian, pixel-interleaved bytes.</summary>
    public static byte[] DecodeFrame(ReadOnlySpan<byte> encoded, int rows, int columns, int samplesPerPixel, int bitsAllocated)
    {
        var (bytesPerSample, pixels) = CheckGeometry(rows, columns, samplesPerPixel, bitsAllocated);
        // PackBits turns 2 bytes into at most 128: a frame claiming more than that is refused before allocating.
        long maxPerSegment = ((long)encoded.Length + 1) / 2 * 128;
        if (pixels > maxPerSegment)
            throw new DicomFormatException($"RLE frame of {encoded.Length} bytes cannot hold {rows}x{columns} pixels");
        var output = new byte[checked(pixels * samplesPerPixel * bytesPerSample)];
        DecodeFrame(encoded, output, pixels, samplesPerPixel, bytesPerSample);
        return output;
    }

    private static void DecodeFrame(ReadOnlySpan<byte> encoded, Span<byte> output, int pixels, int samples, int bytesPerSample)
    {
        if (encoded.Length < HeaderLength)
            throw new DicomFormatException($"RLE frame of {encoded.Length} bytes is shorter than its 64-byte header");
        int expected = samples * bytesPerSample;
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(encoded);
        if (count != expected)
            throw new DicomFormatException($"RLE header declares {count} segments, the image needs {expected} ({samples} samples of {bytesPerSample} bytes)");
        Span<int> offsets = stackalloc int[MaxSegments + 1];
        for (int s = 0; s < expected; s++)
        {
            uint offset = BinaryPrimitives.ReadUInt32LittleEndian(encoded[(4 + 4 * s)..]);
            if (offset < HeaderLength || offset > encoded.Length || (s > 0 && offset < offsets[s - 1]))
                throw new DicomFormatException($"RLE segment {s + 1} offset {offset} lies outside the {encoded.Length}-byte frame or before the previous segment");
            offsets[s] = (int)offset;
        }
        offsets[expected] = encoded.Length;
        var plane = new byte[pixels];
        int stride = samples * bytesPerSample;
        for (int s = 0; s < expected; s++)
        {
            int produced = PackBits.Decode(encoded[offsets[s]..offsets[s + 1]], plane);
            if (produced < pixels)
                throw new DicomFormatException($"RLE segment {s + 1} decodes to {produced} bytes, the frame needs {pixels}");
            int sample = s / bytesPerSample;
            int byteInSample = bytesPerSample - 1 - (s % bytesPerSample); // segments go most significant byte first
            int start = sample * bytesPerSample + byteInSample;
            for (int p = 0, o = start; p < pixels; p++, o += stride) output[o] = plane[p];
        }
    }

    /// <summary>
    /// Encodes one native little-endian frame (<paramref name="planar"/> true when it is colour-by-plane) as an RLE
    /// fragment, each row of each byte plane packed separately as G.3.1 recommends, segments padded to even length.
    /// </summary>
    public static byte[] EncodeFrame(ReadOnlySpan<byte> frame, int rows, int columns, int samplesPerPixel, int bitsAllocated, bool planar = false)
    {
        var (bytesPerSample, pixels) = CheckGeometry(rows, columns, samplesPerPixel, bitsAllocated);
        int segments = samplesPerPixel * bytesPerSample;
        if (frame.Length < (long)pixels * segments)
            throw new DicomFormatException($"frame of {frame.Length} bytes is shorter than {rows}x{columns}x{segments} bytes");
        long worst = HeaderLength + (long)segments * (rows * (long)PackBits.MaxEncodedLength(columns) + 1);
        if (worst > Array.MaxLength) throw new DicomFormatException($"frame of {rows}x{columns}x{segments} bytes is too large to encode");
        var output = new byte[worst];
        BinaryPrimitives.WriteUInt32LittleEndian(output, (uint)segments);
        var plane = new byte[pixels];
        int length = HeaderLength;
        for (int s = 0; s < segments; s++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(4 + 4 * s), (uint)length);
            int sample = s / bytesPerSample;
            int byteInSample = bytesPerSample - 1 - (s % bytesPerSample);
            for (int p = 0; p < pixels; p++)
            {
                int index = planar
                    ? (sample * pixels + p) * bytesPerSample + byteInSample
                    : (p * samplesPerPixel + sample) * bytesPerSample + byteInSample;
                plane[p] = frame[index];
            }
            for (int r = 0; r < rows; r++) length += PackBits.Encode(plane.AsSpan(r * columns, columns), output.AsSpan(length));
            if ((length & 1) == 1) output[length++] = 0x80; // -128 is a no-op in PackBits: safe padding
        }
        return output.AsSpan(0, length).ToArray();
    }

    private static (int BytesPerSample, int Pixels) CheckGeometry(int rows, int columns, int samples, int bitsAllocated)
    {
        if (bitsAllocated is not (8 or 16 or 32 or 64))
            throw new DicomFormatException($"RLE Lossless needs 8, 16, 32 or 64 bits allocated, not {bitsAllocated}");
        int bytesPerSample = bitsAllocated / 8;
        if (samples < 1 || samples * bytesPerSample > MaxSegments)
            throw new DicomFormatException($"RLE Lossless holds at most 15 byte segments; {samples} samples of {bitsAllocated} bits need {samples * bytesPerSample}");
        long pixels = (long)rows * columns;
        if (rows < 1 || columns < 1 || pixels * samples * bytesPerSample > Array.MaxLength)
            throw new DicomFormatException($"image of {rows}x{columns} pixels is empty or too large to decode");
        return (bytesPerSample, (int)pixels);
    }
}
