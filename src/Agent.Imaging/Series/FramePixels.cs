using System.Runtime.InteropServices;
using Agent.Dicom;
using Agent.Dicom.Pixels;

namespace Agent.Imaging.Series;

/// <summary>
/// Monochrome frames as float through the shared pixel decoder (native and RLE Lossless; High Bit, Bits Stored and
/// sign handled there), with the Modality LUT's linear rescale taken per frame by <see cref="SeriesFrameReader"/>.
/// </summary>
internal static class FramePixels
{
    /// <summary>The decoder for an instance, or why its pixels cannot be used.</summary>
    public static (DicomPixelData? Pixels, string? Problem) Open(DicomDataset ds, DicomTransferSyntax syntax, int frameCount)
    {
        try
        {
            var pixels = DicomPixelData.Create(ds, syntax);
            if (pixels.SamplesPerPixel != 1) return (null, "not a single-sample (monochrome) image");
            if (pixels.BitsAllocated is not (8 or 16 or 32)) return (null, $"Bits Allocated {pixels.BitsAllocated} is not 8, 16 or 32");
            if (pixels.NumberOfFrames < frameCount) return (null, $"Pixel Data has {pixels.NumberOfFrames} frames, {frameCount} expected");
            if (pixels.IsEncapsulated && !syntax.CanDecodePixels) return (null, $"pixel data in {syntax.Name} cannot be decoded here");
            // Native data can be checked up front, so one short instance is left out instead of failing the series.
            if (!pixels.IsEncapsulated && ds.GetItem(Tags.PixelData) is DicomElement e && e.Length < (long)pixels.FrameLength * frameCount)
                return (null, $"Pixel Data holds {e.Length} bytes, {(long)pixels.FrameLength * frameCount} expected");
            return (pixels, null);
        }
        catch (DicomFormatException e)
        {
            return (null, e.Message);
        }
    }

    public static void Decode(SeriesFrame frame, Span<float> destination, bool applyRescale)
    {
        int n = frame.Rows * frame.Columns;
        if (destination.Length < n) throw new ArgumentException("destination is smaller than a frame", nameof(destination));
        float slope = applyRescale ? (float)frame.RescaleSlope : 1f, intercept = applyRescale ? (float)frame.RescaleIntercept : 0f;
        var p = frame.Pixels;
        if (!p.IsEncapsulated && p.BitsAllocated == 16 && p.HighBit == p.BitsStored - 1)
        {
            // The usual CT/MR case, decoded straight from the frame's bytes: several times faster than the general
            // reader, which handles every bit layout and sample arrangement.
            var bytes = p.GetFrame(frame.FrameIndex).Span;
            if (bytes.Length < 2 * n) throw new DicomFormatException("a frame is smaller than Rows x Columns");
            var words = MemoryMarshal.Cast<byte, ushort>(bytes[..(2 * n)]);
            int shift = 32 - p.BitsStored;
            if (p.IsSigned)
                for (int i = 0; i < n; i++) destination[i] = ((int)((uint)words[i] << shift) >> shift) * slope + intercept;
            else
                for (int i = 0; i < n; i++) destination[i] = (((uint)words[i] << shift) >> shift) * slope + intercept;
            return;
        }
        var values = p.ReadFrameAsFloat(frame.FrameIndex);
        if (values.Length < n) throw new DicomFormatException("a frame is smaller than Rows x Columns");
        for (int i = 0; i < n; i++) destination[i] = values[i] * slope + intercept;
    }
}
