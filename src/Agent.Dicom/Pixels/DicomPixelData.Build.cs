using System.Globalization;
using System.Runtime.InteropServices;

namespace Agent.Dicom.Pixels;

/// <summary>Writing pixel data: native frames from arrays, and transcoding between native and RLE Lossless.</summary>
public sealed partial class DicomPixelData
{
    /// <summary>Sets unsigned 16-bit monochrome frames (e.g. CT/MR) with the given Bits Stored.</summary>
    public static void SetFrames(DicomDataset dataset, int rows, int columns, IReadOnlyList<ushort[]> frames, int bitsStored = 16)
        => SetWords(dataset, rows, columns, frames, bitsStored, signed: false);

    /// <summary>Sets signed (two's complement) 16-bit monochrome frames with the given Bits Stored.</summary>
    public static void SetFrames(DicomDataset dataset, int rows, int columns, IReadOnlyList<short[]> frames, int bitsStored = 16)
        => SetWords(dataset, rows, columns, frames, bitsStored, signed: true);

    /// <summary>Sets 8-bit frames: monochrome, or pixel-interleaved RGB when <paramref name="samplesPerPixel"/> is 3.</summary>
    public static void SetFrames(DicomDataset dataset, int rows, int columns, IReadOnlyList<byte[]> frames, int samplesPerPixel = 1)
    {
        if (samplesPerPixel is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(samplesPerPixel), "1 (monochrome) or 3 (RGB)");
        int length = CheckFrames(rows, columns, frames, samplesPerPixel);
        var bytes = new byte[PadEven((long)length * frames.Count)];
        for (int f = 0; f < frames.Count; f++) frames[f].AsSpan(0, length).CopyTo(bytes.AsSpan(f * length));
        SetAttributes(dataset, rows, columns, frames.Count, samplesPerPixel, 8, 8, signed: false);
        dataset.AddOrUpdateBytes(DicomTags.PixelData, DicomVR.OB, bytes);
    }

    /// <summary>
    /// Sets 1-bit frames (SEG BINARY, overlays) from one byte per pixel, non-zero meaning set. Bits are packed least
    /// significant first and continue across frame boundaries with no padding (PS3.5 8.1.1); only the end is padded.
    /// </summary>
    public static void SetBinaryFrames(DicomDataset dataset, int rows, int columns, IReadOnlyList<byte[]> frames)
    {
        int length = CheckFrames(rows, columns, frames, 1);
        long bits = (long)length * frames.Count;
        var bytes = new byte[PadEven((bits + 7) / 8)];
        long bit = 0;
        foreach (var frame in frames)
        {
            for (int i = 0; i < length; i++, bit++)
                if (frame[i] != 0) bytes[bit >> 3] |= (byte)(1 << (int)(bit & 7));
        }
        SetAttributes(dataset, rows, columns, frames.Count, 1, 1, 1, signed: false);
        dataset.AddOrUpdateBytes(DicomTags.PixelData, DicomVR.OB, bytes);
    }

    private static void SetWords<T>(DicomDataset dataset, int rows, int columns, IReadOnlyList<T[]> frames, int bitsStored, bool signed)
        where T : unmanaged
    {
        if (bitsStored is < 1 or > 16) throw new ArgumentOutOfRangeException(nameof(bitsStored), bitsStored, "1-16 for 16-bit data");
        int length = CheckFrames(rows, columns, frames, 1);
        var bytes = new byte[PadEven(2L * length * frames.Count)];
        for (int f = 0; f < frames.Count; f++)
            MemoryMarshal.AsBytes(frames[f].AsSpan(0, length)).CopyTo(bytes.AsSpan(2 * f * length));
        if (!BitConverter.IsLittleEndian) ByteSwap.InPlace(bytes, 2);
        SetAttributes(dataset, rows, columns, frames.Count, 1, 16, bitsStored, signed);
        dataset.AddOrUpdateBytes(DicomTags.PixelData, DicomVR.OW, bytes);
    }

    private static int CheckFrames<T>(int rows, int columns, IReadOnlyList<T[]> frames, int samples)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (rows is < 1 or > ushort.MaxValue || columns is < 1 or > ushort.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(rows), $"{rows}x{columns} is not a valid image size (1-65535)");
        if (frames.Count == 0) throw new ArgumentException("at least one frame is needed", nameof(frames));
        long length = (long)rows * columns * samples;
        if (length * frames.Count * 2 > Array.MaxLength) throw new ArgumentException("frames are too large for one value", nameof(frames));
        for (int f = 0; f < frames.Count; f++)
        {
            if (frames[f].Length != length)
                throw new ArgumentException($"frame {f} has {frames[f].Length} values, {rows}x{columns}x{samples} needs {length}", nameof(frames));
        }
        return (int)length;
    }

    private static long PadEven(long length) => (length + 1) & ~1L;

    private static void SetAttributes(DicomDataset dataset, int rows, int columns, int frames, int samples, int allocated, int stored, bool signed)
    {
        dataset.AddOrUpdate(DicomTags.SamplesPerPixel, DicomVR.US, (ushort)samples);
        dataset.AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, samples == 3 ? "RGB" : "MONOCHROME2");
        if (samples > 1) dataset.AddOrUpdate(DicomTags.PlanarConfiguration, DicomVR.US, (ushort)0);
        else dataset.Remove(DicomTags.PlanarConfiguration);
        // Single-frame IODs (CT, MR image) do not allow Number of Frames; multi-frame ones need it even for one frame.
        if (frames > 1 || dataset.Contains(DicomTags.NumberOfFrames))
            dataset.AddOrUpdate(DicomTags.NumberOfFrames, DicomVR.IS, frames.ToString(CultureInfo.InvariantCulture));
        dataset.AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)rows);
        dataset.AddOrUpdate(DicomTags.Columns, DicomVR.US, (ushort)columns);
        dataset.AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, (ushort)allocated);
        dataset.AddOrUpdate(DicomTags.BitsStored, DicomVR.US, (ushort)stored);
        dataset.AddOrUpdate(DicomTags.HighBit, DicomVR.US, (ushort)(stored - 1));
        dataset.AddOrUpdate(DicomTags.PixelRepresentation, DicomVR.US, (ushort)(signed ? 1 : 0));
    }

    /// <summary>
    /// A copy of <paramref name="dataset"/> whose pixel data is RLE Lossless, one fragment per frame, with an empty
    /// basic offset table and Planar Configuration 0. The caller sets the file's transfer syntax to RLE Lossless.
    /// </summary>
    public static DicomDataset EncodeRle(DicomDataset dataset, DicomTransferSyntax syntax)
    {
        var source = Create(dataset, syntax);
        if (source.BitsAllocated == 1) throw new DicomFormatException("RLE Lossless cannot hold 1-bit pixel data");
        if (source.IsFloat) throw new DicomFormatException("float pixel data has no encapsulated form");
        if (source.IsSubsampledYbr422) throw new DicomFormatException("YBR_FULL_422 pixel data must be converted to full YBR or RGB before RLE encoding");
        var fragments = new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB);
        bool planar = source.PlanarConfiguration == 1 && syntax != DicomTransferSyntax.RLELossless;
        for (int f = 0; f < source.NumberOfFrames; f++)
        {
            var frame = source.GetFrame(f).Span;
            fragments.Fragments.Add(DicomBuffer.From(RleCodec.EncodeFrame(frame, source.Rows, source.Columns, source.SamplesPerPixel, source.BitsAllocated, planar)));
        }
        var copy = dataset.Clone();
        copy.AddOrUpdate(fragments);
        if (source.SamplesPerPixel > 1) copy.AddOrUpdate(DicomTags.PlanarConfiguration, DicomVR.US, (ushort)0);
        return copy;
    }

    /// <summary>A copy of <paramref name="dataset"/> with native pixel data (all frames decoded, planar configuration kept
    /// as decoded), for writing in an uncompressed transfer syntax.</summary>
    public static DicomDataset DecodeToNative(DicomDataset dataset, DicomTransferSyntax syntax)
    {
        var source = Create(dataset, syntax);
        if (!source.IsEncapsulated) return dataset.Clone();
        if (source.BitsAllocated == 1) throw new DicomFormatException("encapsulated 1-bit pixel data is not supported");
        long total = (long)source.FrameLength * source.NumberOfFrames;
        if (total > Array.MaxLength) throw new DicomFormatException($"decoded pixel data of {total} bytes is too large for one value");
        var bytes = new byte[PadEven(total)];
        for (int f = 0; f < source.NumberOfFrames; f++) source.GetFrame(f).Span.CopyTo(bytes.AsSpan(f * source.FrameLength));
        var copy = dataset.Clone();
        copy.AddOrUpdateBytes(DicomTags.PixelData, source.BitsAllocated > 8 ? DicomVR.OW : DicomVR.OB, bytes);
        if (syntax == DicomTransferSyntax.RLELossless && source.SamplesPerPixel > 1)
            copy.AddOrUpdate(DicomTags.PlanarConfiguration, DicomVR.US, (ushort)0);
        copy.Remove(DicomTags.ExtendedOffsetTable);
        copy.Remove(DicomTags.ExtendedOffsetTableLengths);
        return copy;
    }
}
