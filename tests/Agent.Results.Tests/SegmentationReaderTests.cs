using Agent.Dicom;
using Agent.Results.Segmentation;

namespace Agent.Results.Tests;

public sealed class SegmentationReaderTests
{
    private const string PydicomLiver = "/usr/lib/python3/dist-packages/pydicom/data/test_files/liver_1frame.dcm";

    [Fact]
    public void Our_seg_reads_back_to_the_phantom_label_map_on_the_source_grid()
    {
        var (phantom, series, source) = Fixtures.Phantom(seed: 3);
        var file = SegmentationWriter.Write(phantom.Labels, source, Fixtures.Segments, Fixtures.SegOptions);
        using var stream = new MemoryStream();
        file.Save(stream);
        var read = SegmentationReader.Read(DicomFile.Read(stream.ToArray()).Dataset);

        Assert.Equal(["liver", "spleen", "kidney_left", "kidney_right"], read.Segments.Select(s => s.Label));
        Assert.Equal("10200004", read.Segments[0].Type?.Value);
        var map = read.ToLabelMap(series.Volume!.Geometry);
        Assert.True(phantom.Labels.Labels.AsSpan().SequenceEqual(map.Labels));
    }

    [Fact]
    public void Empty_segment_slices_are_not_stored_as_frames()
    {
        var (phantom, _, source) = Fixtures.Phantom(seed: 3);
        var file = SegmentationWriter.Write(phantom.Labels, source, Fixtures.Segments, Fixtures.SegOptions);
        var nonEmpty = 0;
        var (nx, ny, nz) = phantom.Labels.Geometry.Size;
        foreach (var s in Fixtures.Segments)
            for (int k = 0; k < nz; k++)
                if (phantom.Labels.Labels.AsSpan(k * nx * ny, nx * ny).Contains((byte)s.LabelValue)) nonEmpty++;
        Assert.Equal(nonEmpty, file.Dataset.GetNumber<int>(DicomTags.NumberOfFrames));
        Assert.True(nonEmpty < nz * Fixtures.Segments.Count);
    }

    [Fact]
    public void Pydicom_corpus_liver_seg_reads_into_a_label_map_on_its_own_grid()
    {
        var file = DicomFile.Open(PydicomLiver);
        var seg = SegmentationReader.Read(file.Dataset);
        Assert.Equal("Liver", Assert.Single(seg.Segments).Label);
        var grid = seg.NativeGeometry();
        var map = seg.ToLabelMap(grid);
        long voxels = map.Labels.Count(v => v == 1);
        long expected = Enumerable.Range(0, seg.Frames.Count).Sum(f => (long)seg.FrameMask(f).Count(v => v == 1));
        Assert.True(voxels > 0);
        Assert.Equal(expected, voxels);
    }

    [Fact]
    public void A_seg_whose_pixel_data_is_too_short_is_rejected_with_a_format_error()
    {
        var (phantom, _, source) = Fixtures.Phantom(seed: 3);
        var file = SegmentationWriter.Write(phantom.Labels, source, Fixtures.Segments, Fixtures.SegOptions);
        file.Dataset.AddOrUpdateBytes(DicomTags.PixelData, DicomVR.OB, new byte[16]);
        var ex = Assert.Throws<DicomFormatException>(() => SegmentationReader.Read(file.Dataset));
        Assert.Contains("Pixel Data", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_all_background_label_map_is_refused_rather_than_written_as_a_frameless_seg()
    {
        var (phantom, _, source) = Fixtures.Phantom(seed: 3);
        var empty = new Agent.Imaging.LabelVolume(phantom.Labels.Geometry);
        var ex = Assert.Throws<ArgumentException>(() => SegmentationWriter.Write(empty, source, Fixtures.Segments, Fixtures.SegOptions));
        Assert.Contains("nothing to encode", ex.Message, StringComparison.Ordinal);
    }
}
