using Agent.Imaging.Series;

namespace Agent.Imaging.Tests.Series;

public sealed class SeriesVolumeBuilderTests
{
    [Fact]
    public void Slices_are_sorted_by_position_along_the_normal_not_by_instance_number_or_arrival()
    {
        var zs = new[] { 0.0, 2.5, 5.0, 7.5 };
        var stack = TestSlices.AxialStack(zs);
        var shuffled = new[] { stack[2], stack[0], stack[3], stack[1] };

        var result = SeriesVolumeBuilder.Build(shuffled);

        Assert.True(result.IsUsable, result.Report.ToString());
        Assert.Empty(result.Report.Issues);
        var v = result.Volume!;
        Assert.Equal((8, 8, 4), v.Geometry.Size);
        Assert.Equal(2.5, v.Geometry.Spacing.Z, 6);
        Assert.Equal((-10.0, -20.0, 0.0), v.Geometry.Origin);
        for (int k = 0; k < 4; k++)
        {
            Assert.Equal(1000 + 10 * k - 1024, v.At(3, 3, k));
            Assert.Equal($"1.2.3.{k + 1}", result.Slices[k]!.SopInstanceUid);
        }
    }

    [Fact]
    public void Feet_first_orientation_gives_a_normal_pointing_inferior_and_origin_at_the_first_slice_along_it()
    {
        // FFS axial: rows run to patient right (-x), columns posterior (+y), so the normal is -z.
        var list = new List<Agent.Dicom.DicomDataset>();
        for (int k = 0; k < 5; k++)
            list.Add(TestSlices.Slice($"9.{k}", new Vec3(50, -30, 100 - 3.0 * k), new Vec3(-1, 0, 0), new Vec3(0, 1, 0), 4, 6, 0.7, 0.8, (i, j) => (short)(k * 100 + i + 10 * j), intercept: 0));
        list.Reverse();

        var v = SeriesVolumeBuilder.Build(list).Volume!;

        Assert.Equal(-1, v.Geometry.Direction[8], 9);
        Assert.Equal((50.0, -30.0, 100.0), v.Geometry.Origin);
        Assert.Equal((0.8, 0.7, 3.0), v.Geometry.Spacing);
        Assert.Equal(2 * 100 + 5 + 10 * 3, v.At(5, 3, 2));
        var p = v.Geometry.IndexToPatient(5, 3, 2);
        Assert.Equal(50 - 5 * 0.8, p.X, 6);
        Assert.Equal(-30 + 3 * 0.7, p.Y, 6);
        Assert.Equal(94, p.Z, 6);
    }

    [Fact]
    public void A_gap_is_reported_as_missing_slices_and_filled_by_interpolation()
    {
        var result = SeriesVolumeBuilder.Build(TestSlices.AxialStack([0, 2, 4, 8, 10]));

        var issue = Assert.Single(result.Report.Issues, i => i.Kind == SeriesIssueKind.MissingSlices);
        Assert.Contains("about 1 slice", issue.Message, StringComparison.Ordinal);
        var v = result.Volume!;
        Assert.Equal(6, v.Geometry.Size.Z);
        Assert.Null(result.Slices[3]);
        Assert.Equal("1.2.3.4", result.Slices[4]!.SopInstanceUid);
        Assert.Equal((1020 + 1030) / 2.0 - 1024, v.At(0, 0, 3), 3);
    }

    [Fact]
    public void Irregular_spacing_can_be_rejected_by_configuration()
    {
        var result = SeriesVolumeBuilder.Build(TestSlices.AxialStack([0, 2, 4, 8, 10]), new SeriesVolumeOptions { IrregularSpacing = GeometryPolicy.Reject });

        Assert.False(result.IsUsable);
        Assert.True(result.Report.Has(SeriesIssueKind.Rejected));
        Assert.True(result.Report.HasErrors);
    }

    [Fact]
    public void Duplicates_are_reported_and_only_one_is_kept()
    {
        var stack = TestSlices.AxialStack([0, 1, 2, 3]);
        var dup = TestSlices.Slice("1.2.3.99", new Vec3(-10, -20, 2), new Vec3(1, 0, 0), new Vec3(0, 1, 0), 8, 8, 0.5, 0.5, (_, _) => 0);
        stack.Add(dup);

        var result = SeriesVolumeBuilder.Build(stack);

        Assert.Equal(4, result.Volume!.Geometry.Size.Z);
        var issue = Assert.Single(result.Report.Issues);
        Assert.Equal(SeriesIssueKind.DuplicatePosition, issue.Kind);
        Assert.Contains("1.2.3.99", issue.Instances);
    }

    [Fact]
    public void Slightly_uneven_spacing_is_reported_as_non_uniform()
    {
        var result = SeriesVolumeBuilder.Build(TestSlices.AxialStack([0, 1, 2, 3.3, 4.3, 5.3]));

        Assert.True(result.Report.Has(SeriesIssueKind.NonUniformSpacing));
        Assert.False(result.Report.Has(SeriesIssueKind.MissingSlices));
        Assert.Equal(6, result.Volume!.Geometry.Size.Z);
    }

    [Fact]
    public void Mixed_orientations_keep_the_largest_group_and_report_the_rest()
    {
        var stack = TestSlices.AxialStack([0, 1, 2, 3]);
        stack.Add(TestSlices.Slice("5.5.5", new Vec3(0, 0, 0), new Vec3(0, 1, 0), new Vec3(0, 0, -1), 8, 8, 0.5, 0.5, (_, _) => 0));

        var result = SeriesVolumeBuilder.Build(stack);

        var issue = Assert.Single(result.Report.Issues);
        Assert.Equal(SeriesIssueKind.MixedGeometry, issue.Kind);
        Assert.Equal(["5.5.5"], issue.Instances);
        Assert.Equal(4, result.Volume!.Geometry.Size.Z);
    }

    [Fact]
    public void Gantry_tilt_is_detected_and_resampled_onto_an_orthogonal_grid()
    {
        // Each slice is shifted 1 mm (2 pixels) in +y per 2 mm in z: about 26.6 degrees of tilt.
        var list = new List<Agent.Dicom.DicomDataset>();
        for (int k = 0; k < 4; k++)
            list.Add(TestSlices.Slice($"7.{k}", new Vec3(0, 1.0 * k, 2.0 * k), new Vec3(1, 0, 0), new Vec3(0, 1, 0), 12, 12, 0.5, 0.5,
                (i, j) => (short)(j == 5 ? 2000 : 0), intercept: 0));

        var result = SeriesVolumeBuilder.Build(list);

        var tilt = Assert.Single(result.Report.Issues);
        Assert.Equal(SeriesIssueKind.GantryTilt, tilt.Kind);
        var v = result.Volume!;
        // The bright row sits at patient y = k + 2.5 mm; in the orthogonal grid that is row 5 + 2k.
        for (int k = 0; k < 3; k++) Assert.Equal(2000, v.At(6, 5 + 2 * k, k), 3);
        Assert.Equal(0, v.At(6, 5, 2), 3);
        Assert.Equal(-1024, v.At(6, 0, 3), 3); // shifted in from outside the acquired slice
    }

    [Fact]
    public void Gantry_tilt_can_be_rejected_by_configuration()
    {
        var list = new List<Agent.Dicom.DicomDataset>();
        for (int k = 0; k < 3; k++)
            list.Add(TestSlices.Slice($"7.{k}", new Vec3(0, 1.0 * k, 2.0 * k), new Vec3(1, 0, 0), new Vec3(0, 1, 0), 4, 4, 0.5, 0.5, (_, _) => 0));

        var result = SeriesVolumeBuilder.Build(list, new SeriesVolumeOptions { GantryTilt = GeometryPolicy.Reject });

        Assert.False(result.IsUsable);
        Assert.True(result.Report.Has(SeriesIssueKind.GantryTilt));
    }

    [Fact]
    public void Rescale_slope_and_intercept_apply_per_slice()
    {
        var a = TestSlices.Slice("1", new Vec3(0, 0, 0), new Vec3(1, 0, 0), new Vec3(0, 1, 0), 2, 2, 1, 1, (_, _) => 100, slope: 1, intercept: -1024);
        var b = TestSlices.Slice("2", new Vec3(0, 0, 1), new Vec3(1, 0, 0), new Vec3(0, 1, 0), 2, 2, 1, 1, (_, _) => 100, slope: 2, intercept: -1000);

        var v = SeriesVolumeBuilder.Build([b, a]).Volume!;

        Assert.Equal(-924, v.At(1, 1, 0));
        Assert.Equal(-800, v.At(1, 1, 1));
    }

    [Fact]
    public void Slices_without_geometry_are_left_out_and_reported_not_thrown()
    {
        var stack = TestSlices.AxialStack([0, 1, 2]);
        var broken = TestSlices.AxialStack([3])[0];
        broken.Remove(new Agent.Dicom.DicomTag(0x00200032));
        broken.AddOrUpdate(new Agent.Dicom.DicomTag(0x00080018), Agent.Dicom.DicomVR.UI, "4.4.4");
        stack.Add(broken);

        var result = SeriesVolumeBuilder.Build(stack);

        Assert.Equal(3, result.Volume!.Geometry.Size.Z);
        var issue = Assert.Single(result.Report.Issues);
        Assert.Equal(SeriesIssueKind.MissingGeometry, issue.Kind);
    }

    [Fact]
    public void No_usable_instance_gives_a_rejected_report()
    {
        var result = SeriesVolumeBuilder.Build(Array.Empty<Agent.Dicom.DicomDataset>());
        Assert.False(result.IsUsable);
        Assert.True(result.Report.Has(SeriesIssueKind.Rejected));
    }
}
