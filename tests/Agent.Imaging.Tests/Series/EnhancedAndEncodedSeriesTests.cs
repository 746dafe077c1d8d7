using System.Globalization;
using Agent.Dicom;
using Agent.Dicom.Pixels;
using Agent.Imaging.Phantom;
using Agent.Imaging.Series;

namespace Agent.Imaging.Tests.Series;

public sealed class EnhancedAndEncodedSeriesTests
{
    private static readonly DicomTag NumberOfFrames = new(0x00280008);
    private static readonly DicomTag SharedGroups = new(0x52009229);
    private static readonly DicomTag PerFrameGroups = new(0x52009230);
    private static readonly DicomTag PlanePosition = new(0x00209113);
    private static readonly DicomTag PlaneOrientation = new(0x00209116);
    private static readonly DicomTag PixelMeasures = new(0x00289110);
    private static readonly DicomTag PixelValueTransformation = new(0x00289145);
    private static readonly DicomTag Ipp = new(0x00200032);
    private static readonly DicomTag Iop = new(0x00200037);
    private static readonly DicomTag PixelSpacing = new(0x00280030);
    private static readonly DicomTag RescaleIntercept = new(0x00281052);
    private static readonly DicomTag RescaleSlope = new(0x00281053);
    private static readonly DicomTag PixelData = new(0x7FE00010);

    /// <summary>An enhanced CT: frames stored feet-to-head in reverse order, geometry and rescale in functional groups.</summary>
    private static DicomDataset EnhancedCt(int frames, out short[][] framePixels)
    {
        var ds = TestSlices.Slice("8.8.8", new Vec3(0, 0, 0), new Vec3(1, 0, 0), new Vec3(0, 1, 0), 4, 5, 1, 1, (_, _) => 0);
        foreach (var t in new[] { Ipp, Iop, PixelSpacing, RescaleIntercept, RescaleSlope }) ds.Remove(t);
        ds.AddOrUpdate(NumberOfFrames, DicomVR.IS, frames.ToString(CultureInfo.InvariantCulture));

        var shared = new DicomDataset();
        shared.AddOrUpdate(PlaneOrientation, new DicomDataset().AddOrUpdate(Iop, DicomVR.DS, "0", "1", "0", "0", "0", "-1"));
        shared.AddOrUpdate(PixelMeasures, new DicomDataset().AddOrUpdate(PixelSpacing, DicomVR.DS, "0.5", "0.75"));
        ds.AddOrUpdate(SharedGroups, shared);

        var perFrame = new List<DicomDataset>();
        framePixels = new short[frames][];
        var all = new List<short>();
        for (int f = 0; f < frames; f++)
        {
            // Sagittal: rows along +y, columns along -z, normal = +y x -z = -x. Frame f sits at x = 10 + 2f, so the
            // first frame is the last along the normal.
            var item = new DicomDataset();
            item.AddOrUpdate(PlanePosition, new DicomDataset().AddOrUpdate(Ipp, DicomVR.DS, TestSlices.F(10 + 2.0 * f), "-5", "30"));
            item.AddOrUpdate(PixelValueTransformation, new DicomDataset()
                .AddOrUpdate(RescaleIntercept, DicomVR.DS, TestSlices.F(-1000 - f))
                .AddOrUpdate(RescaleSlope, DicomVR.DS, "1"));
            perFrame.Add(item);
            framePixels[f] = Enumerable.Range(0, 20).Select(i => (short)(100 * f + i)).ToArray();
            all.AddRange(framePixels[f]);
        }
        ds.AddOrUpdate(PerFrameGroups, [.. perFrame]);
        ds.AddOrUpdate(PixelData, DicomVR.OW, all.ToArray());
        return ds;
    }

    [Fact]
    public void Enhanced_multi_frame_geometry_and_rescale_come_from_the_functional_groups()
    {
        var ds = EnhancedCt(4, out var pixels);

        var result = SeriesVolumeBuilder.Build([ds]);

        Assert.True(result.IsUsable, result.Report.ToString());
        Assert.Empty(result.Report.Issues);
        var v = result.Volume!;
        Assert.Equal((5, 4, 4), v.Geometry.Size);
        Assert.Equal((0.75, 0.5, 2.0), v.Geometry.Spacing);
        Assert.Equal(-1, v.Geometry.Direction[2], 9); // normal is -x
        Assert.Equal((16.0, -5.0, 30.0), v.Geometry.Origin); // the last frame is first along the normal
        for (int k = 0; k < 4; k++)
        {
            int f = 3 - k;
            Assert.Equal(f + 1, result.Slices[k]!.FrameNumber);
            Assert.Equal("8.8.8", result.Slices[k]!.SopInstanceUid);
            Assert.Equal(pixels[f][7] - 1000 - f, v.At(2, 1, k));
        }
    }

    [Fact]
    public async Task An_RLE_compressed_phantom_series_read_from_files_gives_the_same_volume()
    {
        using var tmp = new TempFolder();
        var phantom = PhantomGenerator.Generate(new PhantomOptions { Seed = 41, Matrix = 48, PixelSpacing = 8, SliceSpacing = 8, Position = PatientPosition.FFS });
        var files = await PhantomWriter.WriteDicomAsync(phantom, tmp.Path, CancellationToken.None);
        foreach (var f in files)
            DicomTranscoder.Transcode(DicomFile.Open(f), DicomTransferSyntax.RLELossless).Save(f + ".rle");

        var series = SeriesVolumeBuilder.Build(files.Select(f => DicomFile.Open(f + ".rle")));

        Assert.True(series.IsUsable, series.Report.ToString());
        Assert.Equal(phantom.Image.Voxels, series.Volume!.Voxels);
    }

    [Fact]
    public void Encapsulated_data_in_an_unsupported_syntax_is_reported_not_thrown()
    {
        var ds = TestSlices.Slice("1", new Vec3(0, 0, 0), new Vec3(1, 0, 0), new Vec3(0, 1, 0), 2, 2, 1, 1, (_, _) => 0);
        var fragments = new DicomFragmentSequence(PixelData, DicomVR.OB);
        fragments.Fragments.Add(DicomBuffer.From(new byte[] { 0xFF, 0xD8, 0xFF, 0xD9 }));
        ds.AddOrUpdate(fragments);

        var result = SeriesVolumeBuilder.Build([(ds, DicomTransferSyntax.JPEGBaseline)]);

        Assert.False(result.IsUsable);
        Assert.True(result.Report.Has(SeriesIssueKind.UnsupportedPixelData));
    }
}
