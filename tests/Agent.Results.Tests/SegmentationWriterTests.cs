using Agent.Dicom;
using Agent.Results.Segmentation;

namespace Agent.Results.Tests;

public sealed class SegmentationWriterTests
{
    [Fact]
    public async Task Dciodvfy_reports_no_errors_for_a_four_segment_seg()
    {
        var (phantom, _, source) = Fixtures.Phantom();
        var seg = SegmentationWriter.Write(phantom.Labels, source, Fixtures.Segments, Fixtures.SegOptions);
        using var tmp = new TempFolder();
        var path = tmp.File("seg.dcm");
        seg.Save(path);
        var (_, output) = await Tool.RunAsync("dciodvfy", path);
        var errors = output.Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, output);
    }

    [Fact]
    public async Task Dciodvfy_flags_a_seg_missing_its_segment_sequence_so_the_check_above_can_fail()
    {
        var (phantom, _, source) = Fixtures.Phantom();
        var seg = SegmentationWriter.Write(phantom.Labels, source, Fixtures.Segments, Fixtures.SegOptions);
        seg.Dataset.Remove(DicomTags.SegmentSequence);
        using var tmp = new TempFolder();
        var path = tmp.File("broken.dcm");
        seg.Save(path);
        var (_, output) = await Tool.RunAsync("dciodvfy", path);
        Assert.Contains("Error", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(64)]   // frames start on byte boundaries (packed in parallel)
    [InlineData(61)]   // 3721 pixels per frame: bits run on across frame boundaries (PS3.5 8.1.1)
    public async Task Pydicom_decodes_the_frames_to_exactly_the_masks_written(int matrix)
    {
        var (phantom, _, source) = Fixtures.Phantom(seed: 11, matrix: matrix);
        var labels = phantom.Labels;
        var seg = SegmentationWriter.Write(labels, source, Fixtures.Segments, Fixtures.SegOptions);
        using var tmp = new TempFolder();
        var path = tmp.File("seg.dcm");
        var outPath = tmp.File("labels.raw");
        seg.Save(path);
        var g = labels.Geometry;
        var d = g.Direction;
        const string script = """
            import sys, numpy as np, pydicom
            ds = pydicom.dcmread(sys.argv[1])
            nx, ny, nz = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
            origin = np.array([float(v) for v in sys.argv[6:9]]); normal = np.array([float(v) for v in sys.argv[9:12]]); dz = float(sys.argv[12])
            frames = ds.pixel_array.reshape(int(ds.NumberOfFrames), ds.Rows, ds.Columns)
            out = np.zeros((nz, ny, nx), dtype=np.uint8)
            for f, item in enumerate(ds.PerFrameFunctionalGroupsSequence):
                seg = int(item.SegmentIdentificationSequence[0].ReferencedSegmentNumber)
                pos = np.array([float(v) for v in item.PlanePositionSequence[0].ImagePositionPatient])
                k = int(round(float(np.dot(pos - origin, normal)) / dz))
                assert not np.any(out[k][frames[f] == 1]), "overlapping frames"
                out[k][frames[f] == 1] = seg
            out.tofile(sys.argv[2])
            print(len(ds.PerFrameFunctionalGroupsSequence))
            """;
        string F(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        var printed = await Python.RunAsync(script, path, outPath, $"{g.Size.X}", $"{g.Size.Y}", $"{g.Size.Z}",
            F(g.Origin.X), F(g.Origin.Y), F(g.Origin.Z), F(d[2]), F(d[5]), F(d[8]), F(g.Spacing.Z));
        var decoded = await File.ReadAllBytesAsync(outPath);
        Assert.True(int.Parse(printed.Trim(), System.Globalization.CultureInfo.InvariantCulture) > 4);
        Assert.Equal(labels.Labels.Length, decoded.Length);
        Assert.True(labels.Labels.AsSpan().SequenceEqual(decoded), "pydicom's masks differ from the label map written");
    }
}
