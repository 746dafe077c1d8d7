using Agent.Imaging.Preprocessing;

namespace Agent.Imaging.Tests.Preprocessing;

public sealed class IntensityAndCropTests
{
    private static Volume Of(params float[] values) => new(new ImageGeometry((values.Length, 1, 1), (1, 1, 1), (0, 0, 0), ImageGeometry.IdentityDirection), values);

    [Fact]
    public void CT_values_are_clipped_then_standardized()
    {
        var v = Of(-2000, -100, 0, 100, 3000);
        Intensity.ClipAndStandardize(v, -1000, 1000, 0, 100);
        Assert.Equal([-10f, -1f, 0f, 1f, 10f], v.Voxels);
    }

    [Fact]
    public void CT_window_maps_to_unit_range()
    {
        var v = Of(-2000, -160, 40, 240, 3000);
        Intensity.ClipToUnitRange(v, -160, 240);
        Assert.Equal([0f, 0f, 0.5f, 1f, 1f], v.Voxels);
    }

    [Fact]
    public void MR_z_score_uses_only_the_foreground_and_zeroes_the_background()
    {
        var v = Of(0, 0, 0, 100, 200, 300);
        var (mean, std) = Intensity.ZScoreForeground(v);
        Assert.Equal(200, mean, 6);
        Assert.Equal(Math.Sqrt(20000.0 / 3), std, 6);
        Assert.Equal(0f, v.Voxels[0]);
        Assert.Equal(0f, v.Voxels[4], 5);
        Assert.Equal((float)(100 / std), v.Voxels[5], 4);
    }

    [Fact]
    public void Otsu_threshold_separates_a_noisy_MR_background_from_the_body()
    {
        var rng = new Random(4);
        var values = new float[20000];
        for (int i = 0; i < values.Length; i++)
            values[i] = i < 12000 ? (float)Math.Abs(10 + 5 * (rng.NextDouble() - 0.5) * 2) : (float)(200 + 40 * (rng.NextDouble() - 0.5) * 2);
        var v = Of(values);

        var t = Intensity.OtsuThreshold(v);

        Assert.InRange(t, 15f, 160f); // background is 5-15, body 160-240
        var (mean, _) = Intensity.ZScoreForeground(v, t);
        Assert.Equal(200, mean, 0);
    }

    [Fact]
    public void Padding_to_a_multiple_keeps_patient_positions_and_is_undone_exactly()
    {
        var g = new ImageGeometry((5, 6, 7), (0.5, 0.5, 2), (1, 2, 3), [0, 1, 0, -1, 0, 0, 0, 0, 1]);
        var v = new Volume(g);
        for (int n = 0; n < v.Voxels.Length; n++) v.Voxels[n] = n + 1;

        var region = CropPad.PadToMultiple(g, (4, 4, 4), minimum: (0, 0, 16));
        var padded = CropPad.Extract(v, region, fill: -5);

        Assert.Equal((8, 8, 16), padded.Geometry.Size);
        var p = g.IndexToPatient(2, 3, 4);
        var q = padded.Geometry.PatientToIndex(p.X, p.Y, p.Z);
        Assert.Equal(v.At(2, 3, 4), padded.At((int)Math.Round(q.I), (int)Math.Round(q.J), (int)Math.Round(q.K)));
        Assert.Equal(-5, padded.At(0, 0, 0));
        var back = CropPad.Extract(padded, CropPad.Inverse(region, g.Size));
        Assert.Equal(v.Voxels, back.Voxels);
        Assert.Equal(g.Origin.X, back.Geometry.Origin.X, 9);
        Assert.Equal(g.Origin.Y, back.Geometry.Origin.Y, 9);
    }

    [Fact]
    public void Bounding_box_of_labels_grows_by_the_margin_within_the_grid()
    {
        var l = new LabelVolume(new ImageGeometry((10, 10, 10), (1, 1, 1), (0, 0, 0), ImageGeometry.IdentityDirection));
        l.At(2, 3, 4) = 1;
        l.At(5, 3, 9) = 2;
        var box = CropPad.BoundingBox(l, margin: 1)!.Value;
        Assert.Equal((1, 2, 3), box.Start);
        Assert.Equal((6, 3, 7), box.Size);
        Assert.Null(CropPad.BoundingBox(new LabelVolume(l.Geometry)));
    }
}
