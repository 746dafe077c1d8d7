using System.Globalization;
using Agent.Dicom;

namespace Agent.Imaging.Series;

/// <summary>
/// Turns the instances of a series into one volume: groups frames by frame of reference, orientation, size and pixel
/// spacing; sorts them by position along the slice normal (never by Instance Number or file name); reports gaps,
/// duplicates, irregular spacing, mixed geometry and gantry tilt; applies the Modality LUT's rescale.
/// </summary>
public static class SeriesVolumeBuilder
{
    /// <summary>Frames grouped by geometry key, largest group first.</summary>
    public static IReadOnlyList<IReadOnlyList<SeriesFrame>> Group(IEnumerable<DicomDataset> instances, SeriesVolumeOptions? options = null)
        => Collect(Native(instances), options ?? new SeriesVolumeOptions(), new SeriesReport());

    /// <summary>Builds from in-memory datasets whose pixel data is native (uncompressed) or already decoded.</summary>
    public static SeriesVolume Build(IEnumerable<DicomDataset> instances, SeriesVolumeOptions? options = null)
        => Build(Native(instances), options);

    /// <summary>Builds from files as read; RLE Lossless pixel data is decoded according to each file's transfer syntax.</summary>
    public static SeriesVolume Build(IEnumerable<DicomFile> files, SeriesVolumeOptions? options = null)
        => Build(files.Select(f => (f.Dataset, f.TransferSyntax)), options);

    private static IEnumerable<(DicomDataset, DicomTransferSyntax)> Native(IEnumerable<DicomDataset> instances)
        => instances.Select(d => (d, DicomTransferSyntax.ExplicitVRLittleEndian));

    public static SeriesVolume Build(IEnumerable<(DicomDataset Dataset, DicomTransferSyntax Syntax)> instances, SeriesVolumeOptions? options = null)
    {
        options ??= new SeriesVolumeOptions();
        var report = new SeriesReport();
        var groups = Collect(instances, options, report);
        if (groups.Count == 0)
        {
            report.Add(SeriesIssueKind.Rejected, SeriesIssueSeverity.Error, "no image with usable geometry and pixel data");
            return new SeriesVolume(null, [], report, "");
        }
        if (groups.Count > 1)
        {
            var left = groups.Skip(1).SelectMany(g => g).Select(f => f.Label).ToArray();
            report.Add(SeriesIssueKind.MixedGeometry, SeriesIssueSeverity.Warning,
                string.Create(CultureInfo.InvariantCulture,
                    $"{groups.Count} geometry groups (frame of reference/orientation/size/spacing); kept the largest ({groups[0].Count} images), left out {left.Length}"),
                left);
        }
        return BuildGroup(groups[0], options, report);
    }

    private static List<IReadOnlyList<SeriesFrame>> Collect(IEnumerable<(DicomDataset Dataset, DicomTransferSyntax Syntax)> instances, SeriesVolumeOptions options, SeriesReport report)
    {
        var byKey = new Dictionary<string, List<SeriesFrame>>(StringComparer.Ordinal);
        int total = 0;
        foreach (var (ds, syntax) in instances)
        {
            var frames = SeriesFrameReader.Read(ds, options.MaxFrames).ToList();
            var (pixels, pixelProblem) = FramePixels.Open(ds, syntax, frames.Count);
            if (ds.Contains(Tags.ModalityLUTSequence))
                report.Add(SeriesIssueKind.ModalityLutIgnored, SeriesIssueSeverity.Warning, "Modality LUT Sequence present; only Rescale Slope/Intercept are applied",
                    [ds.GetString(Tags.SOPInstanceUID) ?? ""]);
            foreach (var (frame, problem, label) in frames)
            {
                if (frame is null)
                {
                    report.Add(SeriesIssueKind.MissingGeometry, SeriesIssueSeverity.Warning, $"{label}: {problem}", [label]);
                    continue;
                }
                if (pixelProblem is not null)
                {
                    report.Add(SeriesIssueKind.UnsupportedPixelData, SeriesIssueSeverity.Warning, $"{label}: {pixelProblem}", [label]);
                    continue;
                }
                if (++total > options.MaxFrames)
                    throw new DicomFormatException(string.Create(CultureInfo.InvariantCulture, $"series has more than {options.MaxFrames} frames"));
                var key = KeyOf(frame);
                if (!byKey.TryGetValue(key, out var list)) byKey[key] = list = [];
                list.Add(frame with { Pixels = pixels! });
            }
        }
        return byKey.Values.OrderByDescending(g => g.Count).Cast<IReadOnlyList<SeriesFrame>>().ToList();
    }

    // Rounding makes near-identical orientations (DS text precision) share a key.
    private static string KeyOf(SeriesFrame f) => string.Create(CultureInfo.InvariantCulture,
        $"{f.FrameOfReferenceUid}|{f.Rows}x{f.Columns}|{f.RowDirection.X:F3},{f.RowDirection.Y:F3},{f.RowDirection.Z:F3},{f.ColumnDirection.X:F3},{f.ColumnDirection.Y:F3},{f.ColumnDirection.Z:F3}|{f.RowSpacing:F3},{f.ColumnSpacing:F3}");

    private static SeriesVolume BuildGroup(IReadOnlyList<SeriesFrame> group, SeriesVolumeOptions options, SeriesReport report)
    {
        var first = group[0];
        var normal = first.Normal;
        // Sort by distance along the normal; ties broken by UID so the result does not depend on arrival order.
        var sorted = group.Select(f => (Frame: f, D: f.Position.Dot(normal)))
            .OrderBy(t => t.D).ThenBy(t => t.Frame.SopInstanceUid, StringComparer.Ordinal).ThenBy(t => t.Frame.FrameIndex).ToList();

        var kept = new List<(SeriesFrame Frame, double D)> { sorted[0] };
        for (int i = 1; i < sorted.Count; i++)
        {
            if (sorted[i].D - kept[^1].D < options.DuplicateTolerance)
            {
                report.Add(SeriesIssueKind.DuplicatePosition, SeriesIssueSeverity.Warning,
                    string.Create(CultureInfo.InvariantCulture, $"{sorted[i].Frame.Label} has the same position ({sorted[i].D:F3} mm along the normal) as {kept[^1].Frame.Label}; kept the latter"),
                    [kept[^1].Frame.Label, sorted[i].Frame.Label]);
                continue;
            }
            kept.Add(sorted[i]);
        }

        var spacingX = first.ColumnSpacing;
        var spacingY = first.RowSpacing;
        double dz = 1;
        bool irregular = false;
        if (kept.Count > 1)
        {
            var steps = new double[kept.Count - 1];
            for (int i = 0; i < steps.Length; i++) steps[i] = kept[i + 1].D - kept[i].D;
            dz = Median(steps);
            irregular = CheckSpacing(kept, steps, dz, options, report);
        }
        else
        {
            var thickness = first.Dataset.GetNumber<double>(Tags.SpacingBetweenSlices) ?? first.Dataset.GetNumber<double>(Tags.SliceThickness);
            if (thickness is > 0 and < 1e4) dz = thickness.Value;
        }

        var tilted = CheckTilt(kept, normal, Math.Min(spacingX, spacingY), options, report);
        if ((tilted && options.GantryTilt == GeometryPolicy.Reject) || (irregular && options.IrregularSpacing == GeometryPolicy.Reject))
        {
            report.Add(SeriesIssueKind.Rejected, SeriesIssueSeverity.Error,
                tilted && options.GantryTilt == GeometryPolicy.Reject ? "gantry tilt and the configuration says reject" : "irregular slice spacing and the configuration says reject");
            return new SeriesVolume(null, kept.Select(k => (SliceSource?)Source(k.Frame)).ToList(), report, first.FrameOfReferenceUid);
        }

        int nz = irregular ? (int)Math.Round((kept[^1].D - kept[0].D) / dz) + 1 : kept.Count;
        var size = (first.Columns, first.Rows, nz);
        if ((long)size.Columns * size.Rows * nz > Math.Min(options.MaxVoxels, Array.MaxLength))
        {
            report.Add(SeriesIssueKind.Rejected, SeriesIssueSeverity.Error,
                string.Create(CultureInfo.InvariantCulture, $"volume of {size.Columns}x{size.Rows}x{nz} voxels exceeds the limit of {options.MaxVoxels}"));
            return new SeriesVolume(null, [], report, first.FrameOfReferenceUid);
        }

        var row = first.RowDirection;
        var col = normal.Cross(row).Normalized(); // re-orthogonalised so the direction matrix is exactly orthonormal
        var origin = kept[0].Frame.Position;
        var geometry = new ImageGeometry(size, (spacingX, spacingY, dz), origin,
            [row.X, col.X, normal.X, row.Y, col.Y, normal.Y, row.Z, col.Z, normal.Z]);
        var volume = new Volume(geometry);
        var slices = new SliceSource?[nz];
        try
        {
            Fill(volume, kept, slices, tilted, options);
        }
        catch (AggregateException e) when (e.Flatten().InnerExceptions.All(x => x is DicomFormatException))
        {
            report.Add(SeriesIssueKind.UnsupportedPixelData, SeriesIssueSeverity.Error, "pixel data could not be decoded: " + e.Flatten().InnerExceptions[0].Message);
            return new SeriesVolume(null, [], report, first.FrameOfReferenceUid);
        }
        return new SeriesVolume(volume, slices, report, first.FrameOfReferenceUid);
    }

    private static bool CheckSpacing(List<(SeriesFrame Frame, double D)> kept, double[] steps, double median, SeriesVolumeOptions options, SeriesReport report)
    {
        bool irregular = false;
        var tolerance = Math.Max(options.SpacingTolerance * median, options.DuplicateTolerance);
        var odd = new List<string>();
        for (int i = 0; i < steps.Length; i++)
        {
            if (steps[i] > options.GapFactor * median)
            {
                var missing = Math.Max(1, (int)Math.Round(steps[i] / median) - 1);
                report.Add(SeriesIssueKind.MissingSlices, SeriesIssueSeverity.Warning,
                    string.Create(CultureInfo.InvariantCulture,
                        $"gap of {steps[i]:F2} mm (median {median:F2} mm) between {kept[i].Frame.Label} and {kept[i + 1].Frame.Label}: about {missing} slice(s) missing"),
                    [kept[i].Frame.Label, kept[i + 1].Frame.Label]);
                irregular = true;
            }
            else if (Math.Abs(steps[i] - median) > tolerance)
            {
                odd.Add(kept[i + 1].Frame.Label);
            }
        }
        if (odd.Count > 0)
        {
            report.Add(SeriesIssueKind.NonUniformSpacing, SeriesIssueSeverity.Warning,
                string.Create(CultureInfo.InvariantCulture,
                    $"{odd.Count} slice distance(s) differ from the median {median:F3} mm by more than {tolerance:F3} mm"), odd);
            irregular = true;
        }
        return irregular;
    }

    private static bool CheckTilt(List<(SeriesFrame Frame, double D)> kept, Vec3 normal, double pixel, SeriesVolumeOptions options, SeriesReport report)
    {
        if (kept.Count < 2) return false;
        var p0 = kept[0].Frame.Position;
        double worst = 0;
        foreach (var (frame, d) in kept)
        {
            var inPlane = (frame.Position - p0) - ((frame.Position - p0).Dot(normal) * normal);
            worst = Math.Max(worst, inPlane.Length);
        }
        if (worst <= options.TiltTolerance * pixel) return false;
        var last = kept[^1];
        var drift = (last.Frame.Position - p0) - ((last.Frame.Position - p0).Dot(normal) * normal);
        var angle = Math.Atan2(drift.Length, last.D - kept[0].D) * 180 / Math.PI;
        report.Add(SeriesIssueKind.GantryTilt, options.GantryTilt == GeometryPolicy.Reject ? SeriesIssueSeverity.Error : SeriesIssueSeverity.Warning,
            string.Create(CultureInfo.InvariantCulture,
                $"slice positions drift up to {worst:F2} mm in-plane (about {angle:F1} degrees of gantry tilt){(options.GantryTilt == GeometryPolicy.Resample ? "; resampled onto an orthogonal grid" : "")}"));
        return true;
    }

    private static SliceSource Source(SeriesFrame f) => new(f.SopInstanceUid, f.FrameIndex + 1, f.Position);

    /// <summary>
    /// Fills every output slice from the source slice(s) at its position: a copy when one lies there, else linear
    /// interpolation along the normal between the two neighbours. Tilted slices are shifted in-plane (bilinear).
    /// </summary>
    private static void Fill(Volume volume, List<(SeriesFrame Frame, double D)> kept, SliceSource?[] slices, bool tilted, SeriesVolumeOptions options)
    {
        var g = volume.Geometry;
        int nx = g.Size.X, ny = g.Size.Y, n = nx * ny;
        double d0 = kept[0].D;
        var origin = kept[0].Frame.Position;
        var rowDir = new Vec3(g.Direction[0], g.Direction[3], g.Direction[6]);
        var colDir = new Vec3(g.Direction[1], g.Direction[4], g.Direction[7]);
        var ds = kept.Select(k => k.D).ToArray();
        bool regular = kept.Count == g.Size.Z;

        Parallel.For(0, g.Size.Z, () => (new float[n], new float[n]), (k, _, buffers) =>
        {
            var target = volume.Voxels.AsSpan((int)((long)k * n), n);
            int lower;
            double w;
            if (regular) { lower = k; w = 0; }
            else
            {
                var d = d0 + k * g.Spacing.Z;
                lower = Array.BinarySearch(ds, d);
                if (lower < 0) lower = Math.Max(0, ~lower - 1);
                lower = Math.Min(lower, ds.Length - 1);
                w = lower + 1 < ds.Length ? Math.Clamp((d - ds[lower]) / (ds[lower + 1] - ds[lower]), 0, 1) : 0;
                if (w > 1 - 1e-3 && lower + 1 < ds.Length) { lower++; w = 0; }
                else if (w < 1e-3) w = 0;
            }
            slices[k] = w == 0 ? Source(kept[lower].Frame) : null;
            Sample(kept[lower].Frame, buffers.Item1, target, 1 - w, accumulate: false);
            if (w > 0) Sample(kept[lower + 1].Frame, buffers.Item1, target, w, accumulate: true);
            return buffers;

            void Sample(SeriesFrame frame, float[] scratch, Span<float> dest, double weight, bool accumulate)
            {
                FramePixels.Decode(frame, scratch, options.ApplyModalityLut);
                double si = 0, sj = 0;
                if (tilted)
                {
                    // The frame's own origin sits in-plane off the orthogonal grid by this many pixels.
                    var off = frame.Position - origin;
                    si = off.Dot(rowDir) / g.Spacing.X;
                    sj = off.Dot(colDir) / g.Spacing.Y;
                }
                var fw = (float)weight;
                if (!tilted || (Math.Abs(si) < 1e-6 && Math.Abs(sj) < 1e-6))
                {
                    for (int i = 0; i < n; i++) dest[i] = accumulate ? dest[i] + fw * scratch[i] : fw * scratch[i];
                    return;
                }
                for (int j = 0; j < ny; j++)
                {
                    for (int i = 0; i < nx; i++)
                    {
                        var v = Bilinear(scratch, nx, ny, i - si, j - sj, options.FillValue);
                        var idx = i + nx * j;
                        dest[idx] = accumulate ? dest[idx] + fw * v : fw * v;
                    }
                }
            }
        }, _ => { });
    }

    private static float Bilinear(float[] img, int nx, int ny, double x, double y, float fill)
    {
        if (x < -0.5 || y < -0.5 || x > nx - 0.5 || y > ny - 0.5) return fill;
        x = Math.Clamp(x, 0, nx - 1);
        y = Math.Clamp(y, 0, ny - 1);
        int x0 = Math.Min((int)x, nx - 2 < 0 ? 0 : nx - 2), y0 = Math.Min((int)y, ny - 2 < 0 ? 0 : ny - 2);
        int x1 = Math.Min(x0 + 1, nx - 1), y1 = Math.Min(y0 + 1, ny - 1);
        float fx = (float)(x - x0), fy = (float)(y - y0);
        float a = img[x0 + nx * y0], b = img[x1 + nx * y0], c = img[x0 + nx * y1], d = img[x1 + nx * y1];
        return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
    }

    private static double Median(double[] values)
    {
        var s = (double[])values.Clone();
        Array.Sort(s);
        return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
    }
}
