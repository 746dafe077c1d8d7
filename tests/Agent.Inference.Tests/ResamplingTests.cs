using Agent.Imaging;
using Agent.Inference.SlidingWindow;

namespace Agent.Inference.Tests;

public sealed class ResamplingTests
{
    [Fact]
    public void Probabilities_are_interpolated_onto_a_finer_grid_before_argmax()
    {
        // Coarse grid: 2 mm along x; class 1 probability ramps 0 -> 1 across the volume.
        var coarse = new ImageGeometry((6, 2, 2), (2, 1, 1), (10, 0, 0), ImageGeometry.IdentityDirection);
        var p1 = new float[coarse.VoxelCount];
        var p0 = new float[coarse.VoxelCount];
        for (int i = 0; i < p1.Length; i++) { p1[i] = (i % 6) / 5f; p0[i] = 1 - p1[i]; }
        var map = new ProbabilityMap(coarse, [p0, p1]);
        // 1 mm grid over the same points: x = 10..20 mm. p1 crosses 0.5 at x = 15 mm (between coarse voxels 2 and 3).
        var fine = new ImageGeometry((11, 2, 2), (1, 1, 1), (10, 0, 0), ImageGeometry.IdentityDirection);

        var labels = map.ArgMaxOn(fine);

        Assert.Equal(new byte[] { 0, 0, 0, 0, 0 }, labels.Labels.Take(5));
        Assert.Equal(new byte[] { 1, 1, 1, 1, 1 }, labels.Labels.Skip(6).Take(5));
    }

    [Fact]
    public void Argmax_follows_patient_coordinates_when_the_original_grid_runs_the_other_way()
    {
        // Model grid along +x; original grid along -x (e.g. a feet-first or flipped acquisition) over the same points.
        var model = new ImageGeometry((4, 1, 1), (1, 1, 1), (0, 0, 0), ImageGeometry.IdentityDirection);
        var map = new ProbabilityMap(model, [[0.9f, 0.8f, 0.2f, 0.1f], [0.1f, 0.2f, 0.8f, 0.9f]]);
        var flipped = new ImageGeometry((4, 1, 1), (1, 1, 1), (3, 0, 0), [-1, 0, 0, 0, -1, 0, 0, 0, 1]);

        Assert.Equal(new byte[] { 1, 1, 0, 0 }, map.ArgMaxOn(flipped).Labels);
    }
}
