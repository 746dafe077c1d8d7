using Agent.Dicom;
using Agent.Imaging.Series;

namespace Agent.Imaging.Tests.Series;

/// <summary>Broken or hostile geometry values never escape as exceptions: the instance is left out and reported.</summary>
public sealed class HostileGeometryTests
{
    private static readonly DicomTag Ipp = new(0x00200032);
    private static readonly DicomTag Iop = new(0x00200037);
    private static readonly DicomTag PixelSpacing = new(0x00280030);
    private static readonly DicomTag Rows = new(0x00280010);
    private static readonly DicomTag NumberOfFrames = new(0x00280008);
    private static readonly DicomTag PixelData = new(0x7FE00010);

    public static TheoryData<string, string[]> Cases => new()
    {
        { "ipp", ["abc", "1", "2"] },
        { "ipp", ["NaN", "0", "0"] },
        { "ipp", ["1e400", "0", "0"] },
        { "ipp", ["1", "2"] },
        { "iop", ["1", "0", "0", "1", "0", "0"] },       // parallel row and column
        { "iop", ["0", "0", "0", "0", "0", "0"] },
        { "iop", ["5", "0", "0", "0", "1", "0"] },       // not unit length
        { "spacing", ["0", "0.5"] },
        { "spacing", ["-1", "0.5"] },
        { "spacing", ["1e30", "1"] },
        { "frames", ["100000"] },
        { "frames", ["-3"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_bad_value_leaves_the_instance_out_with_a_report(string what, string[] values)
    {
        var stack = TestSlices.AxialStack([0, 1, 2]);
        var bad = TestSlices.AxialStack([3])[0];
        bad.AddOrUpdate(new DicomTag(0x00080018), DicomVR.UI, "6.6.6");
        switch (what)
        {
            case "ipp": bad.AddOrUpdate(Ipp, DicomVR.DS, values); break;
            case "iop": bad.AddOrUpdate(Iop, DicomVR.DS, values); break;
            case "spacing": bad.AddOrUpdate(PixelSpacing, DicomVR.DS, values); break;
            default: bad.AddOrUpdate(NumberOfFrames, DicomVR.IS, values); break;
        }
        stack.Add(bad);

        var result = SeriesVolumeBuilder.Build(stack);

        Assert.Equal(3, result.Volume!.Geometry.Size.Z);
        Assert.Contains(result.Report.Issues, i => i.Instances.Any(x => x.StartsWith("6.6.6", StringComparison.Ordinal)));
    }

    [Fact]
    public void Pixel_data_shorter_than_rows_times_columns_is_reported()
    {
        var stack = TestSlices.AxialStack([0, 1, 2]);
        stack[1].AddOrUpdate(PixelData, DicomVR.OW, new short[10]);
        var result = SeriesVolumeBuilder.Build(stack);
        Assert.Equal(2, result.Volume!.Geometry.Size.Z);
        Assert.True(result.Report.Has(SeriesIssueKind.UnsupportedPixelData));
    }

    [Fact]
    public void A_huge_matrix_is_refused_by_the_voxel_limit_before_allocating()
    {
        var stack = TestSlices.AxialStack([0, 1]);
        var result = SeriesVolumeBuilder.Build(stack, new SeriesVolumeOptions { MaxVoxels = 64 });
        Assert.False(result.IsUsable);
        Assert.True(result.Report.Has(SeriesIssueKind.Rejected));
        _ = Rows;
    }
}
