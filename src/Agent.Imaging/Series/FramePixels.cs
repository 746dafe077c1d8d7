using System.Buffers.Binary;
using Agent.Dicom;

namespace Agent.Imaging.Series;

/// <summary>
/// Native (uncompressed, little-endian) monochrome pixel data of one frame as float, with the Modality LUT's linear
/// rescale. Encapsulated data must be decoded before it reaches this class.
/// </summary>
internal static class FramePixels
{
    /// <summary>Null when the pixel data is usable, else why not.</summary>
    public static string? Check(DicomDataset ds, int frameCount)
    {
        if ((ds.GetNumber<int>(Tags.SamplesPerPixel) ?? 1) != 1) return "not a single-sample (monochrome) image";
        var bits = ds.GetNumber<int>(Tags.BitsAllocated) ?? 0;
        if (bits is not (8 or 16 or 32)) return $"Bits Allocated {bits} is not 8, 16 or 32";
        var item = ds.GetItem(Tags.PixelData);
        if (item is null) return "no Pixel Data";
        if (item is not DicomElement e) return "encapsulated Pixel Data (decode it first)";
        var rows = ds.GetNumber<int>(Tags.Rows) ?? 0;
        var cols = ds.GetNumber<int>(Tags.Columns) ?? 0;
        var need = (long)rows * cols * (bits / 8) * frameCount;
        if (e.Length < need) return $"Pixel Data holds {e.Length} bytes, {need} expected";
        return null;
    }

    public static void Decode(SeriesFrame frame, Span<float> destination, bool applyRescale)
    {
        var ds = frame.Dataset;
        int bits = ds.GetNumber<int>(Tags.BitsAllocated) ?? 16;
        int stored = Math.Clamp(ds.GetNumber<int>(Tags.BitsStored) ?? bits, 1, bits);
        bool signed = (ds.GetNumber<int>(Tags.PixelRepresentation) ?? 0) == 1;
        int n = frame.Rows * frame.Columns;
        if (destination.Length < n) throw new ArgumentException("destination is smaller than a frame", nameof(destination));
        var bytesPer = bits / 8;
        var all = ((DicomElement)ds.GetItem(Tags.PixelData)!).Buffer.Span;
        long start = (long)frame.FrameIndex * n * bytesPer;
        if (start + (long)n * bytesPer > all.Length) throw new DicomFormatException("Pixel Data is shorter than its frames");
        var src = all.Slice((int)start, n * bytesPer);
        float slope = applyRescale ? (float)frame.RescaleSlope : 1f, intercept = applyRescale ? (float)frame.RescaleIntercept : 0f;
        int shift = 32 - stored;
        switch (bits)
        {
            case 8:
                for (int i = 0; i < n; i++) destination[i] = Extend(src[i], shift, signed) * slope + intercept;
                break;
            case 16:
                for (int i = 0; i < n; i++) destination[i] = Extend(BinaryPrimitives.ReadUInt16LittleEndian(src[(2 * i)..]), shift, signed) * slope + intercept;
                break;
            default:
                for (int i = 0; i < n; i++) destination[i] = Extend(BinaryPrimitives.ReadUInt32LittleEndian(src[(4 * i)..]), shift, signed) * slope + intercept;
                break;
        }
    }

    // Bits above Bits Stored may hold overlays or garbage; shift them out, sign-extending when the representation is signed.
    private static float Extend(uint raw, int shift, bool signed)
        => signed ? (int)(raw << shift) >> shift : (raw << shift) >> shift;
}
