using Agent.Dicom;
using Agent.Imaging;
using Agent.Results.Coding;

namespace Agent.Results.Segmentation;

/// <summary>A segment as a SEG describes it.</summary>
public sealed record SegmentInfo(int Number, string Label, Code? Category, Code? Type, string AlgorithmType);

/// <summary>Where one stored frame belongs: its segment and the patient position of its first pixel.</summary>
public sealed record SegmentFrameInfo(int Index, int SegmentNumber, Vec3 Position);

/// <summary>
/// A decoded DICOM Segmentation: segments, per-frame placement and the unpacked masks, with conversion to label
/// volumes on a caller's grid (the source series') or on the SEG's own grid.
/// </summary>
public sealed class SegmentationObject
{
    private readonly byte[] _pixels;
    private readonly bool _fractional;
    private readonly int _fractionalThreshold;

    internal SegmentationObject(IReadOnlyList<SegmentInfo> segments, IReadOnlyList<SegmentFrameInfo> frames, int rows, int columns,
        Vec3 rowDirection, Vec3 columnDirection, (double Row, double Column) spacing, double? sliceSpacing, string frameOfReferenceUid,
        byte[] pixels, bool fractional, int fractionalThreshold)
    {
        Segments = segments;
        Frames = frames;
        Rows = rows;
        Columns = columns;
        RowDirection = rowDirection;
        ColumnDirection = columnDirection;
        PixelSpacing = spacing;
        SliceSpacing = sliceSpacing;
        FrameOfReferenceUid = frameOfReferenceUid;
        _pixels = pixels;
        _fractional = fractional;
        _fractionalThreshold = fractionalThreshold;
    }

    public IReadOnlyList<SegmentInfo> Segments { get; }
    public IReadOnlyList<SegmentFrameInfo> Frames { get; }
    public int Rows { get; }
    public int Columns { get; }
    public Vec3 RowDirection { get; }
    public Vec3 ColumnDirection { get; }

    /// <summary>Pixel Spacing: (between rows, between columns) in mm.</summary>
    public (double Row, double Column) PixelSpacing { get; }
    public double? SliceSpacing { get; }
    public string FrameOfReferenceUid { get; }

    /// <summary>Frame <paramref name="index"/> (0-based) as 0/1 bytes, row by row.</summary>
    public byte[] FrameMask(int index)
    {
        if ((uint)index >= (uint)Frames.Count) throw new ArgumentOutOfRangeException(nameof(index));
        int pixels = Rows * Columns;
        var mask = new byte[pixels];
        if (_fractional)
        {
            var src = _pixels.AsSpan(index * pixels, pixels);
            for (int i = 0; i < pixels; i++) mask[i] = src[i] >= _fractionalThreshold && src[i] > 0 ? (byte)1 : (byte)0;
        }
        else SegmentationFrames.Unpack(_pixels, index, pixels, mask);
        return mask;
    }

    /// <summary>
    /// The grid the frames span: their in-plane geometry, stacked along the normal from the lowest to the highest frame
    /// position (spacing from the smallest gap, else Spacing Between Slices, else 1 mm).
    /// </summary>
    public ImageGeometry NativeGeometry()
    {
        var normal = RowDirection.Cross(ColumnDirection).Normalized();
        var distances = Frames.Select(f => f.Position.Dot(normal)).Distinct().Order().ToArray();
        if (distances.Length == 0) throw new DicomFormatException("the segmentation has no frames");
        double dz = SliceSpacing ?? 1;
        var gaps = distances.Zip(distances.Skip(1), (a, b) => b - a).Where(g => g > 1e-3).ToArray();
        if (gaps.Length > 0) dz = gaps.Min();
        if (!(dz > 0)) dz = 1;
        int nz = (int)Math.Round((distances[^1] - distances[0]) / dz) + 1;
        if (nz > 100_000) throw new DicomFormatException($"the frames span {nz} slices; refusing to allocate that grid");
        var first = Frames.First(f => Math.Abs(f.Position.Dot(normal) - distances[0]) < 1e-3).Position;
        return new ImageGeometry((Columns, Rows, nz), (PixelSpacing.Column, PixelSpacing.Row, dz), first,
            [RowDirection.X, ColumnDirection.X, normal.X, RowDirection.Y, ColumnDirection.Y, normal.Y, RowDirection.Z, ColumnDirection.Z, normal.Z]);
    }

    /// <summary>
    /// One label map on <paramref name="grid"/>: each voxel holds the number of the last segment covering it (0 = none).
    /// Every frame must lie on one of the grid's slices with the same in-plane sampling; resampling is not done here.
    /// </summary>
    public LabelVolume ToLabelMap(ImageGeometry grid)
    {
        var map = new LabelVolume(grid);
        foreach (var (frame, k) in PlaceFrames(grid))
        {
            var mask = FrameMask(frame.Index);
            var target = map.Labels.AsSpan(k * Rows * Columns, Rows * Columns);
            var value = (byte)Math.Min(frame.SegmentNumber, 255);
            for (int i = 0; i < mask.Length; i++) if (mask[i] != 0) target[i] = value;
        }
        return map;
    }

    /// <summary>One 0/1 label volume per segment number on <paramref name="grid"/> (overlapping segments stay separate).</summary>
    public IReadOnlyDictionary<int, LabelVolume> ToSegmentMasks(ImageGeometry grid)
    {
        var result = Segments.ToDictionary(s => s.Number, _ => new LabelVolume(grid));
        foreach (var (frame, k) in PlaceFrames(grid))
        {
            if (!result.TryGetValue(frame.SegmentNumber, out var volume)) continue;
            var mask = FrameMask(frame.Index);
            var target = volume.Labels.AsSpan(k * Rows * Columns, Rows * Columns);
            for (int i = 0; i < mask.Length; i++) target[i] |= mask[i];
        }
        return result;
    }

    private IEnumerable<(SegmentFrameInfo Frame, int K)> PlaceFrames(ImageGeometry grid)
    {
        if (grid.Size.X != Columns || grid.Size.Y != Rows)
            throw new DicomFormatException($"the SEG frames are {Columns}x{Rows} but the grid is {grid.Size.X}x{grid.Size.Y}");
        var d = grid.Direction;
        var row = new Vec3(d[0], d[3], d[6]);
        var col = new Vec3(d[1], d[4], d[7]);
        if (row.Dot(RowDirection) < 0.999 || col.Dot(ColumnDirection) < 0.999)
            throw new DicomFormatException("the SEG's image orientation differs from the grid's");
        if (Math.Abs(grid.Spacing.X - PixelSpacing.Column) > 1e-3 || Math.Abs(grid.Spacing.Y - PixelSpacing.Row) > 1e-3)
            throw new DicomFormatException("the SEG's pixel spacing differs from the grid's");
        foreach (var frame in Frames)
        {
            var (i, j, k) = grid.PatientToIndex(frame.Position.X, frame.Position.Y, frame.Position.Z);
            var kr = Math.Round(k);
            if (Math.Abs(i) > 0.01 || Math.Abs(j) > 0.01 || Math.Abs(k - kr) > 0.05 || kr < 0 || kr >= grid.Size.Z)
                throw new DicomFormatException($"SEG frame {frame.Index + 1} at ({frame.Position.X:F2}, {frame.Position.Y:F2}, {frame.Position.Z:F2}) is not on a slice of the grid");
            yield return (frame, (int)kr);
        }
    }
}
