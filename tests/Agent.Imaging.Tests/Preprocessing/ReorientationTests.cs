using Agent.Imaging.Preprocessing;

namespace Agent.Imaging.Tests.Preprocessing;

public sealed class ReorientationTests
{
    [Fact]
    public void A_feet_first_sagittal_like_grid_becomes_LPS_aligned_and_every_voxel_keeps_its_patient_position()
    {
        // i runs to patient right (-x), j inferior (-z), k posterior (+y).
        var g = new ImageGeometry((5, 6, 7), (0.5, 2, 1), (10, -5, 40), [-1, 0, 0, 0, 0, 1, 0, -1, 0]);
        var v = new Volume(g);
        for (int n = 0; n < v.Voxels.Length; n++) v.Voxels[n] = n;

        var r = Reorientation.ToCanonical(g)!;
        var c = Reorientation.Apply(v, r);

        Assert.Equal(ImageGeometry.IdentityDirection, c.Geometry.Direction);
        Assert.Equal((5, 7, 6), c.Geometry.Size);
        Assert.Equal((0.5, 1.0, 2.0), c.Geometry.Spacing);
        for (int k = 0; k < 7; k++) for (int j = 0; j < 6; j++) for (int i = 0; i < 5; i++)
        {
            var p = g.IndexToPatient(i, j, k);
            var q = c.Geometry.PatientToIndex(p.X, p.Y, p.Z);
            Assert.Equal(v.At(i, j, k), c.At((int)Math.Round(q.I), (int)Math.Round(q.J), (int)Math.Round(q.K)));
        }
        var back = Reorientation.Apply(c, r.Inverse());
        Assert.Equal(v.Voxels, back.Voxels);
        Assert.Equal(g.Origin.X, back.Geometry.Origin.X, 9);
        Assert.Equal(g.Origin.Z, back.Geometry.Origin.Z, 9);
    }

    [Fact]
    public void Strongly_oblique_grids_are_not_reordered()
    {
        double t = 50 * Math.PI / 180;
        var g = new ImageGeometry((2, 2, 2), (1, 1, 1), (0, 0, 0), [Math.Cos(t), -Math.Sin(t), 0, Math.Sin(t), Math.Cos(t), 0, 0, 0, 1]);
        Assert.Null(Reorientation.ToCanonical(g));
    }

    [Fact]
    public void An_already_canonical_grid_needs_no_change()
        => Assert.True(Reorientation.ToCanonical(new ImageGeometry((2, 2, 2), (1, 1, 1), (0, 0, 0), ImageGeometry.IdentityDirection))!.IsIdentity);
}
