using Agent.Imaging.Preprocessing;

namespace Agent.Imaging.Tests.Preprocessing;

public sealed class ResamplerTests
{
    private static readonly double[] Rotated = RotationZ(0.2);

    private static double[] RotationZ(double t) => [Math.Cos(t), -Math.Sin(t), 0, Math.Sin(t), Math.Cos(t), 0, 0, 0, 1];

    private static double Ramp(double x, double y, double z) => 2 * x - 3 * y + 0.5 * z + 7;

    private static Volume RampVolume(ImageGeometry g)
    {
        var v = new Volume(g);
        for (int k = 0; k < g.Size.Z; k++)
            for (int j = 0; j < g.Size.Y; j++)
                for (int i = 0; i < g.Size.X; i++)
                {
                    var p = g.IndexToPatient(i, j, k);
                    v.At(i, j, k) = (float)Ramp(p.X, p.Y, p.Z);
                }
        return v;
    }

    [Fact]
    public void New_spacing_keeps_the_outer_edges_of_the_grid()
    {
        var g = new ImageGeometry((100, 80, 30), (0.8, 0.8, 3), (10, 20, 30), Rotated);
        var t = Resampler.WithSpacing(g, (1.6, 1.6, 1.5));

        Assert.Equal((50, 40, 60), t.Size);
        // The first voxel's outer corner is the same point in both grids.
        var a = g.IndexToPatient(-0.5, -0.5, -0.5);
        var b = t.IndexToPatient(-0.5, -0.5, -0.5);
        Assert.Equal(a.X, b.X, 9); Assert.Equal(a.Y, b.Y, 9); Assert.Equal(a.Z, b.Z, 9);
        var c = g.IndexToPatient(99.5, 79.5, 29.5);
        var d = t.IndexToPatient(49.5, 39.5, 59.5);
        Assert.Equal(c.X, d.X, 9); Assert.Equal(c.Y, d.Y, 9); Assert.Equal(c.Z, d.Z, 9);
    }

    [Fact]
    public void Trilinear_resampling_reproduces_a_linear_field_exactly_between_different_oblique_grids()
    {
        var source = RampVolume(new ImageGeometry((40, 40, 12), (1, 1, 3), (0, 0, 0), Rotated));
        var target = new ImageGeometry((20, 20, 20), (0.9, 1.1, 0.7), (8, 10, 6), RotationZ(-0.1));

        var result = Resampler.Resample(source, target, Interpolation.Linear, outside: float.NaN);

        int inside = 0;
        for (int k = 0; k < 20; k++)
            for (int j = 0; j < 20; j++)
                for (int i = 0; i < 20; i++)
                {
                    var p = target.IndexToPatient(i, j, k);
                    var s = source.Geometry.PatientToIndex(p.X, p.Y, p.Z);
                    if (s.I < 0 || s.J < 0 || s.K < 0 || s.I > 39 || s.J > 39 || s.K > 11) continue;
                    inside++;
                    Assert.Equal(Ramp(p.X, p.Y, p.Z), result.At(i, j, k), 2);
                }
        Assert.True(inside > 4000, $"only {inside} voxels fell inside the source");
    }

    [Fact]
    public void Resampling_onto_the_same_grid_is_the_identity()
    {
        var source = RampVolume(new ImageGeometry((9, 7, 5), (0.7, 0.7, 2), (3, 4, 5), Rotated));
        Assert.Equal(source.Voxels, Resampler.Resample(source, source.Geometry).Voxels);
        var labels = new LabelVolume(source.Geometry);
        labels.At(3, 3, 2) = 4;
        Assert.Equal(labels.Labels, Resampler.Resample(labels, source.Geometry).Labels);
        Assert.Equal(labels.Labels, Resampler.ResampleSmooth(labels, source.Geometry).Labels);
    }

    [Fact]
    public void Points_outside_the_source_get_the_outside_value()
    {
        var source = RampVolume(new ImageGeometry((4, 4, 4), (1, 1, 1), (0, 0, 0), ImageGeometry.IdentityDirection));
        var target = new ImageGeometry((2, 1, 1), (10, 1, 1), (1, 1, 1), ImageGeometry.IdentityDirection);
        var r = Resampler.Resample(source, target, Interpolation.Linear, outside: -1024);
        Assert.Equal(-1024, r.At(1, 0, 0));
        Assert.NotEqual(-1024, r.At(0, 0, 0));
    }

    [Fact]
    public void Label_preserving_resampling_of_a_coarse_grid_follows_a_curved_boundary_better_than_nearest()
    {
        // Truth: a disk of radius 10 mm in the x-z plane, sampled on a 3 mm grid, then upsampled to 0.5 mm.
        static bool Truth(double x, double z) => (x - 16) * (x - 16) + (z - 16) * (z - 16) < 100;
        var coarse = new LabelVolume(new ImageGeometry((11, 2, 11), (3, 1, 3), (0.5, 0, 0.5), ImageGeometry.IdentityDirection));
        for (int k = 0; k < 11; k++) for (int j = 0; j < 2; j++) for (int i = 0; i < 11; i++)
            coarse.At(i, j, k) = Truth(0.5 + 3 * i, 0.5 + 3 * k) ? (byte)1 : (byte)0;
        var fine = new ImageGeometry((64, 1, 64), (0.5, 1, 0.5), (0, 0, 0), ImageGeometry.IdentityDirection);

        int Errors(LabelVolume l)
        {
            int e = 0;
            for (int k = 0; k < 64; k++) for (int i = 0; i < 64; i++)
                if ((l.At(i, 0, k) == 1) != Truth(i * 0.5, k * 0.5)) e++;
            return e;
        }

        var nearest = Errors(Resampler.Resample(coarse, fine));
        var smooth = Errors(Resampler.ResampleSmooth(coarse, fine));
        Assert.True(smooth < nearest, $"smooth {smooth} vs nearest {nearest} misclassified voxels");
    }
}

public sealed class ProbabilityResamplerTests
{
    [Fact]
    public void Probabilities_on_a_coarse_model_grid_come_back_as_labels_on_the_original_grid()
    {
        // Model grid 2 mm; class 1 probability rises along x and crosses 0.5 at x = 9 mm.
        var model = new ImageGeometry((10, 3, 3), (2, 2, 2), (0, 0, 0), ImageGeometry.IdentityDirection);
        var p1 = new float[model.VoxelCount];
        for (int k = 0; k < 3; k++) for (int j = 0; j < 3; j++) for (int i = 0; i < 10; i++)
            p1[i + 10 * (j + 3 * k)] = Math.Clamp((i * 2f - 9f) / 4f + 0.5f, 0, 1);
        var p0 = p1.Select(v => 1 - v).ToArray();
        var original = new ImageGeometry((40, 2, 2), (0.5, 1, 1), (0, 1, 1), ImageGeometry.IdentityDirection);

        var labels = ProbabilityResampler.ResampleArgmax([p0, p1], model, original);

        for (int i = 0; i < 40; i++)
        {
            double x = i * 0.5;
            if (x > 19) { Assert.Equal(0, labels.At(i, 1, 1)); continue; } // beyond the model grid's outer edge: nothing predicted
            if (Math.Abs(x - 9) < 0.3) continue; // on the boundary either answer is right
            Assert.Equal(x > 9 ? 1 : 0, labels.At(i, 1, 1));
        }
    }

    [Fact]
    public void Mismatched_class_arrays_are_refused()
    {
        var g = new ImageGeometry((2, 2, 2), (1, 1, 1), (0, 0, 0), ImageGeometry.IdentityDirection);
        Assert.Throws<ArgumentException>(() => ProbabilityResampler.ResampleArgmax([new float[8], new float[7]], g, g));
    }
}
