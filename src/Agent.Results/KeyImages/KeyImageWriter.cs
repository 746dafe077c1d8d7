using System.Globalization;
using Agent.Dicom;
using Agent.Imaging;
using Agent.Results.Coding;
using Agent.Results.Common;
using Agent.Results.Segmentation;
using SkiaSharp;

namespace Agent.Results.KeyImages;

/// <summary>
/// Key images for viewers without SEG support: one true-colour Secondary Capture per representative slice (the slice
/// where each segment is largest), the CT windowed to grey with every segment on that slice outlined in its colour,
/// and "FOR REVIEW - AI RESULT" burned in (Burned In Annotation YES).
/// </summary>
public static class KeyImageWriter
{
    public const string Banner = "FOR REVIEW - AI RESULT";

    /// <summary>The slice (k) with the largest area of each segment that is present, in segment order, without repeats.</summary>
    public static IReadOnlyList<int> RepresentativeSlices(LabelVolume labels, IReadOnlyList<SegmentDefinition> segments)
    {
        var (nx, ny, nz) = labels.Geometry.Size;
        int n = nx * ny;
        var slices = new List<int>();
        foreach (var s in segments)
        {
            int best = -1, bestCount = 0;
            for (int k = 0; k < nz; k++)
            {
                int count = labels.Labels.AsSpan(k * n, n).Count((byte)s.LabelValue);
                if (count > bestCount) (best, bestCount) = (k, count);
            }
            if (best >= 0 && !slices.Contains(best)) slices.Add(best);
        }
        return slices;
    }

    public static IReadOnlyList<DicomFile> Write(Volume image, LabelVolume labels, SegmentationSource source, IReadOnlyList<SegmentDefinition> segments, KeyImageOptions options)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(options);
        if (image.Geometry.Size != labels.Geometry.Size) throw new ArgumentException("image and labels must share a grid", nameof(labels));
        var when = options.Created ?? DateTimeOffset.Now;
        var seriesUid = options.SeriesInstanceUid ?? DicomUidGenerator.Create();
        var result = new List<DicomFile>();
        int number = 1;
        foreach (var k in RepresentativeSlices(labels, segments))
        {
            var (rgb, width, height) = Render(image, labels, segments, k, options);
            result.Add(ToDicom(rgb, width, height, k, number++, seriesUid, source, segments, labels, options, when));
        }
        return result;
    }

    /// <summary>The rendered slice as packed RGB (what goes in Pixel Data), its width and height.</summary>
    public static (byte[] Rgb, int Width, int Height) Render(Volume image, LabelVolume labels, IReadOnlyList<SegmentDefinition> segments, int k, KeyImageOptions options)
    {
        var (nx, ny, _) = image.Geometry.Size;
        int n = nx * ny;
        var hu = image.Voxels.AsSpan(k * n, n);
        var lab = labels.Labels.AsSpan(k * n, n);
        var colours = new SKColor?[256];
        foreach (var s in segments) colours[s.LabelValue] = new SKColor(s.Rgb[0], s.Rgb[1], s.Rgb[2]);
        double lo = options.WindowCenter - options.WindowWidth / 2;
        using var slice = new SKBitmap(new SKImageInfo(nx, ny, SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (int j = 0; j < ny; j++)
            for (int i = 0; i < nx; i++)
            {
                var g = (byte)Math.Clamp((hu[i + nx * j] - lo) / options.WindowWidth * 255, 0, 255);
                var colour = new SKColor(g, g, g);
                var l = lab[i + nx * j];
                // Outline: a labelled pixel with a 4-neighbour of another label (or the image edge).
                if (l != 0 && colours[l] is { } c && (i == 0 || j == 0 || i == nx - 1 || j == ny - 1
                    || lab[i - 1 + nx * j] != l || lab[i + 1 + nx * j] != l || lab[i + nx * (j - 1)] != l || lab[i + nx * (j + 1)] != l))
                    colour = c;
                slice.SetPixel(i, j, colour);
            }

        int scale = Math.Max(1, (int)Math.Ceiling((double)options.MinimumSize / Math.Max(nx, ny)));
        int width = nx * scale, height = ny * scale;
        using var surface = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(surface))
        {
            canvas.Clear(SKColors.Black);
            using var sliceImage = SKImage.FromBitmap(slice);
            // Nearest neighbour: outlines stay crisp one-pixel lines of the segment colour.
            canvas.DrawImage(sliceImage, new SKRect(0, 0, width, height), new SKSamplingOptions(SKFilterMode.Nearest));
            float size = Math.Max(14, width / 28f);
            using var font = new SKFont(SKTypeface.Default, size);
            using var back = new SKPaint { Color = new SKColor(0, 0, 0, 170) };
            using var text = new SKPaint { Color = SKColors.Yellow, IsAntialias = true };
            canvas.DrawRect(0, 0, width, size * 1.6f, back);
            canvas.DrawText(Banner, size * 0.5f, size * 1.2f, SKTextAlign.Left, font, text);
            float y = height - size * 0.6f;
            foreach (var s in segments.Reverse())
            {
                if (!lab.Contains((byte)s.LabelValue)) continue;
                using var legend = new SKPaint { Color = new SKColor(s.Rgb[0], s.Rgb[1], s.Rgb[2]), IsAntialias = true };
                canvas.DrawRect(0, y - size * 1.1f, width * 0.45f, size * 1.4f, back);
                canvas.DrawText(s.Label, size * 0.5f, y, SKTextAlign.Left, font, legend);
                y -= size * 1.4f;
            }
        }
        var rgba = surface.GetPixelSpan();
        var rgb = new byte[width * height * 3];
        for (int p = 0, q = 0; p < rgba.Length; p += 4, q += 3)
        {
            rgb[q] = rgba[p];
            rgb[q + 1] = rgba[p + 1];
            rgb[q + 2] = rgba[p + 2];
        }
        return (rgb, width, height);
    }

    private static DicomFile ToDicom(byte[] rgb, int width, int height, int k, int number, string seriesUid, SegmentationSource source,
        IReadOnlyList<SegmentDefinition> segments, LabelVolume labels, KeyImageOptions options, DateTimeOffset when)
    {
        var ds = new DicomDataset();
        Modules.CopyPatientAndStudy(source.Representative, ds);
        Modules.AddSopCommon(ds, DicomUids.SecondaryCaptureImageStorage.Uid, DicomUidGenerator.Create(), when);
        Modules.AddEquipment(ds, options.Equipment);
        Modules.AddContributingEquipment(ds, options.Equipment, options.Algorithm, when);
        ds.AddOrUpdate(DicomTags.ImageType, DicomVR.CS, "DERIVED", "SECONDARY");
        ds.AddOrUpdate(DicomTags.Modality, DicomVR.CS, "OT");
        ds.AddOrUpdate(DicomTags.ConversionType, DicomVR.CS, "WSD");
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, seriesUid);
        ds.AddOrUpdate(DicomTags.SeriesNumber, DicomVR.IS, Modules.Is(options.SeriesNumber));
        ds.AddOrUpdate(DicomTags.SeriesDescription, DicomVR.LO, Modules.Truncate(options.SeriesDescription, 64));
        ds.AddOrUpdate(DicomTags.SeriesDate, DicomVR.DA, Modules.Date(when));
        ds.AddOrUpdate(DicomTags.SeriesTime, DicomVR.TM, Modules.Time(when));
        ds.AddOrUpdate(DicomTags.ContentDate, DicomVR.DA, Modules.Date(when));
        ds.AddOrUpdate(DicomTags.ContentTime, DicomVR.TM, Modules.Time(when));
        ds.AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, Modules.Is(number));
        ds.AddOrUpdate(DicomTags.PatientOrientation, DicomVR.CS, "");
        // Type 2C in General Series; an abdominal slice has no single laterality.
        ds.AddOrUpdate(DicomTags.Laterality, DicomVR.CS, "");
        ds.AddOrUpdate(DicomTags.BurnedInAnnotation, DicomVR.CS, "YES");
        ds.AddOrUpdate(DicomTags.LossyImageCompression, DicomVR.CS, "00");
        var present = segments.Where(s => labels.Labels.AsSpan(k * labels.Geometry.Size.X * labels.Geometry.Size.Y, labels.Geometry.Size.X * labels.Geometry.Size.Y).Contains((byte)s.LabelValue)).Select(s => s.Label);
        ds.AddOrUpdate(DicomTags.DerivationDescription, DicomVR.ST, Modules.Truncate(string.Create(CultureInfo.InvariantCulture,
            $"{Banner}: {options.Algorithm.Name} {options.Algorithm.Version} segmentation outlined ({string.Join(", ", present)}) on slice {k + 1}, window {options.WindowCenter}/{options.WindowWidth}"), 1024));
        if (source.Slices[k] is { } slice)
        {
            var reference = new DicomDataset();
            reference.AddOrUpdate(DicomTags.ReferencedSOPClassUID, DicomVR.UI, source.SopClassOf(slice.SopInstanceUid));
            reference.AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, slice.SopInstanceUid);
            reference.AddOrUpdate(Codes.SourceImageForProcessing.ToSequence(DicomTags.PurposeOfReferenceCodeSequence));
            ds.AddOrUpdate(DicomTags.SourceImageSequence, reference);
        }
        ds.AddOrUpdate<ushort>(DicomTags.SamplesPerPixel, DicomVR.US, 3);
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, "RGB");
        ds.AddOrUpdate<ushort>(DicomTags.PlanarConfiguration, DicomVR.US, 0);
        ds.AddOrUpdate<ushort>(DicomTags.Rows, DicomVR.US, checked((ushort)height));
        ds.AddOrUpdate<ushort>(DicomTags.Columns, DicomVR.US, checked((ushort)width));
        ds.AddOrUpdate<ushort>(DicomTags.BitsAllocated, DicomVR.US, 8);
        ds.AddOrUpdate<ushort>(DicomTags.BitsStored, DicomVR.US, 8);
        ds.AddOrUpdate<ushort>(DicomTags.HighBit, DicomVR.US, 7);
        ds.AddOrUpdate<ushort>(DicomTags.PixelRepresentation, DicomVR.US, 0);
        ds.AddOrUpdateBytes(DicomTags.PixelData, DicomVR.OB, rgb.Length % 2 == 0 ? rgb : [.. rgb, 0]);
        return new DicomFile(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
    }
}
