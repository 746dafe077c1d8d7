using Agent.Dicom;
using Agent.Imaging;
using Agent.Results.Coding;

namespace Agent.Results.Segmentation;

/// <summary>Reads DICOM Segmentations (ours and other tools'): BINARY (1 bit) and FRACTIONAL (8 bit), native pixel data.</summary>
public static class SegmentationReader
{
    /// <summary>Bounds a hostile header cannot push us past.</summary>
    private const int MaxFrames = 1_000_000;
    private const long MaxPixelBytes = 4L << 30;

    public static SegmentationObject Read(DicomDataset ds)
    {
        ArgumentNullException.ThrowIfNull(ds);
        if (ds.GetString(DicomTags.SOPClassUID) != DicomUids.SegmentationStorage.Uid)
            throw new DicomFormatException("not a Segmentation Storage instance");
        var type = ds.GetString(DicomTags.SegmentationType) ?? "";
        bool fractional = type == "FRACTIONAL";
        if (!fractional && type != "BINARY") throw new DicomFormatException($"Segmentation Type '{type}' is not supported (BINARY or FRACTIONAL)");
        int rows = ds.GetNumber<int>(DicomTags.Rows) ?? 0, cols = ds.GetNumber<int>(DicomTags.Columns) ?? 0;
        int frames = ds.GetNumber<int>(DicomTags.NumberOfFrames) ?? 1;
        int bits = ds.GetNumber<int>(DicomTags.BitsAllocated) ?? 0;
        if (rows is < 1 or > 65535 || cols is < 1 or > 65535) throw new DicomFormatException($"Rows/Columns {rows}x{cols} are not usable");
        if (frames is < 1 or > MaxFrames) throw new DicomFormatException($"Number of Frames {frames} is outside 1..{MaxFrames}");
        if (bits != (fractional ? 8 : 1)) throw new DicomFormatException($"Bits Allocated {bits} does not match Segmentation Type {type}");
        long needed = fractional ? (long)frames * rows * cols : ((long)frames * rows * cols + 7) / 8;
        if (needed > MaxPixelBytes) throw new DicomFormatException($"{needed} bytes of pixel data exceed the {MaxPixelBytes}-byte limit");
        if (ds.GetItem(DicomTags.PixelData) is not DicomElement pixelElement)
            throw new DicomFormatException("no native Pixel Data (encapsulated SEGs are not supported)");
        var pixels = pixelElement.Buffer.Memory.ToArray();
        if (pixels.LongLength < needed) throw new DicomFormatException($"Pixel Data holds {pixels.Length} bytes; {frames} frames need {needed}");

        var segments = new List<SegmentInfo>();
        foreach (var item in ds.GetSequence(DicomTags.SegmentSequence)?.Items ?? [])
        {
            var number = item.GetNumber<int>(DicomTags.SegmentNumber) ?? throw new DicomFormatException("a segment has no Segment Number");
            segments.Add(new SegmentInfo(number, item.GetString(DicomTags.SegmentLabel) ?? "",
                Code.FromSequence(item, DicomTags.SegmentedPropertyCategoryCodeSequence),
                Code.FromSequence(item, DicomTags.SegmentedPropertyTypeCodeSequence),
                item.GetString(DicomTags.SegmentAlgorithmType) ?? ""));
        }
        if (segments.Count == 0) throw new DicomFormatException("the Segment Sequence is empty");

        var shared = ds.GetFirstItem(DicomTags.SharedFunctionalGroupsSequence);
        var perFrame = ds.GetSequence(DicomTags.PerFrameFunctionalGroupsSequence)?.Items ?? [];
        if (perFrame.Count < frames) throw new DicomFormatException($"{perFrame.Count} per-frame functional group items for {frames} frames");
        var orientation = Numbers(Macro(DicomTags.PlaneOrientationSequence, perFrame[0], shared), DicomTags.ImageOrientationPatient, 6, "Image Orientation (Patient)");
        var measures = Macro(DicomTags.PixelMeasuresSequence, perFrame[0], shared);
        var spacing = Numbers(measures, DicomTags.PixelSpacing, 2, "Pixel Spacing");
        var between = measures?.GetNumber<double>(DicomTags.SpacingBetweenSlices) ?? measures?.GetNumber<double>(DicomTags.SliceThickness);
        var frameInfos = new List<SegmentFrameInfo>(frames);
        int singleSegment = segments.Count == 1 ? segments[0].Number : 0;
        for (int f = 0; f < frames; f++)
        {
            var groups = perFrame[f];
            var segment = Macro(DicomTags.SegmentIdentificationSequence, groups, shared)?.GetNumber<int>(DicomTags.ReferencedSegmentNumber) ?? singleSegment;
            if (segment == 0) throw new DicomFormatException($"frame {f + 1} names no segment");
            var p = Numbers(Macro(DicomTags.PlanePositionSequence, groups, shared), DicomTags.ImagePositionPatient, 3, $"frame {f + 1} Image Position (Patient)");
            frameInfos.Add(new SegmentFrameInfo(f, segment, new Vec3(p[0], p[1], p[2])));
        }
        var row = new Vec3(orientation[0], orientation[1], orientation[2]).Normalized();
        var col = new Vec3(orientation[3], orientation[4], orientation[5]).Normalized();
        if (row.Length < 0.5 || col.Length < 0.5 || Math.Abs(row.Dot(col)) > 0.01)
            throw new DicomFormatException("Image Orientation (Patient) is not two orthogonal unit vectors");
        if (!(spacing[0] > 0) || !(spacing[1] > 0)) throw new DicomFormatException("Pixel Spacing must be positive");
        int maxFractional = ds.GetNumber<int>(DicomTags.MaximumFractionalValue) ?? 255;
        return new SegmentationObject(segments, frameInfos, rows, cols, row, col, (spacing[0], spacing[1]),
            between is > 0 ? between : null, ds.GetString(DicomTags.FrameOfReferenceUID) ?? "", pixels, fractional, (maxFractional + 1) / 2);
    }

    private static DicomDataset? Macro(DicomTag macro, DicomDataset? perFrame, DicomDataset? shared)
        => perFrame?.GetFirstItem(macro) ?? shared?.GetFirstItem(macro);

    private static double[] Numbers(DicomDataset? ds, DicomTag tag, int count, string what)
    {
        var result = new double[count];
        for (int i = 0; i < count; i++)
        {
            var v = ds?.GetNumber<double>(tag, i);
            if (v is null || !double.IsFinite(v.Value)) throw new DicomFormatException($"{what} is missing or not {count} numbers");
            result[i] = v.Value;
        }
        return result;
    }
}
