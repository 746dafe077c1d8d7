using System.Globalization;
using Agent.Dicom;
using Agent.Dicom.Pixels;

namespace Agent.Imaging.Series;

/// <summary>One 2D image of a series: a single-frame instance or one frame of a multi-frame instance.</summary>
public sealed record SeriesFrame(
    DicomDataset Dataset,
    int FrameIndex,
    string SopInstanceUid,
    string FrameOfReferenceUid,
    Vec3 Position,
    Vec3 RowDirection,
    Vec3 ColumnDirection,
    double ColumnSpacing,
    double RowSpacing,
    int Rows,
    int Columns,
    double RescaleSlope,
    double RescaleIntercept)
{
    public Vec3 Normal => RowDirection.Cross(ColumnDirection).Normalized();

    /// <summary>The instance's pixel decoder (shared by its frames); set once the pixel data has been checked.</summary>
    internal DicomPixelData Pixels { get; init; } = null!;

    /// <summary>"UID" for a single frame, "UID#n" (n from 1) for a frame of a multi-frame instance.</summary>
    public string Label => Dataset.GetNumber<int>(Tags.NumberOfFrames) is > 1
        ? string.Create(CultureInfo.InvariantCulture, $"{SopInstanceUid}#{FrameIndex + 1}") : SopInstanceUid;
}

/// <summary>Reads the geometry of every frame of an instance, classic or enhanced (functional groups).</summary>
internal static class SeriesFrameReader
{
    /// <summary>Frames of one instance; a frame without geometry yields an error message instead.</summary>
    public static IEnumerable<(SeriesFrame? Frame, string? Problem, string Label)> Read(DicomDataset ds, int maxFrames)
    {
        var sop = ds.GetString(Tags.SOPInstanceUID) ?? "(no SOP Instance UID)";
        var frames = ds.GetNumber<int>(Tags.NumberOfFrames) ?? 1;
        if (frames < 1 || frames > maxFrames)
        {
            yield return (null, string.Create(CultureInfo.InvariantCulture, $"Number of Frames {frames} is outside 1..{maxFrames}"), sop);
            yield break;
        }
        var perFrame = ds.GetSequence(Tags.PerFrameFunctionalGroupsSequence);
        var shared = ds.GetFirstItem(Tags.SharedFunctionalGroupsSequence);
        for (int f = 0; f < frames; f++)
        {
            var groups = perFrame is { } p && f < p.Items.Count ? p.Items[f] : null;
            var label = frames > 1 ? string.Create(CultureInfo.InvariantCulture, $"{sop}#{f + 1}") : sop;
            var (frame, problem) = ReadFrame(ds, f, sop, groups, shared);
            yield return (frame, problem, label);
        }
    }

    private static (SeriesFrame?, string?) ReadFrame(DicomDataset ds, int f, string sop, DicomDataset? perFrame, DicomDataset? shared)
    {
        var position = Doubles(Find(Tags.PlanePositionSequence, Tags.ImagePositionPatient, ds, perFrame, shared), Tags.ImagePositionPatient, 3);
        var orientation = Doubles(Find(Tags.PlaneOrientationSequence, Tags.ImageOrientationPatient, ds, perFrame, shared), Tags.ImageOrientationPatient, 6);
        var spacing = Doubles(Find(Tags.PixelMeasuresSequence, Tags.PixelSpacing, ds, perFrame, shared), Tags.PixelSpacing, 2);
        var rows = ds.GetNumber<int>(Tags.Rows) ?? 0;
        var cols = ds.GetNumber<int>(Tags.Columns) ?? 0;
        if (position is null) return (null, "no Image Position (Patient)");
        if (orientation is null) return (null, "no Image Orientation (Patient)");
        if (spacing is null || !(spacing[0] > 0) || !(spacing[1] > 0) || spacing[0] > 1e4 || spacing[1] > 1e4) return (null, "no usable Pixel Spacing");
        if (rows is < 1 or > 65535 || cols is < 1 or > 65535) return (null, "no usable Rows/Columns");
        if (!position.All(double.IsFinite) || !orientation.All(double.IsFinite)) return (null, "non-finite geometry values");

        var row = new Vec3(orientation[0], orientation[1], orientation[2]);
        var col = new Vec3(orientation[3], orientation[4], orientation[5]);
        if (Math.Abs(row.Length - 1) > 0.01 || Math.Abs(col.Length - 1) > 0.01 || Math.Abs(row.Normalized().Dot(col.Normalized())) > 0.01)
            return (null, "Image Orientation (Patient) is not two orthogonal unit vectors");

        var lutItem = Find(Tags.PixelValueTransformationSequence, Tags.RescaleSlope, ds, perFrame, shared);
        var slope = lutItem.GetNumber<double>(Tags.RescaleSlope) ?? 1.0;
        var intercept = lutItem.GetNumber<double>(Tags.RescaleIntercept) ?? 0.0;
        if (!double.IsFinite(slope) || slope == 0 || !double.IsFinite(intercept)) (slope, intercept) = (1.0, 0.0);

        return (new SeriesFrame(ds, f, sop, ds.GetString(Tags.FrameOfReferenceUID) ?? "",
            new Vec3(position[0], position[1], position[2]), row.Normalized(), col.Normalized(),
            spacing[1], spacing[0], rows, cols, slope, intercept), null);
    }

    /// <summary>The dataset holding <paramref name="tag"/>: the per-frame group's macro item, the shared one, else the top level.</summary>
    private static DicomDataset Find(DicomTag macro, DicomTag tag, DicomDataset top, DicomDataset? perFrame, DicomDataset? shared)
    {
        if (perFrame?.GetFirstItem(macro) is { } a && a.Contains(tag)) return a;
        if (shared?.GetFirstItem(macro) is { } b && b.Contains(tag)) return b;
        return top;
    }

    private static double[]? Doubles(DicomDataset ds, DicomTag tag, int count)
    {
        var result = new double[count];
        for (int i = 0; i < count; i++)
        {
            var v = ds.GetNumber<double>(tag, i);
            if (v is null) return null;
            result[i] = v.Value;
        }
        return result;
    }
}
