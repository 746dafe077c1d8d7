using Agent.Imaging;
using Agent.Inference.SlidingWindow;

namespace Agent.Inference.Tests;

public sealed class ResamplingTests
{
    [Fact]
    public void Probabilities_resampled_to_a_finer_grid_are_interpolated_linearly_before_argmax()
    {
        // Coarse grid: 2 mm along x; class 1 probability ramps 0 -> 1 across the volume.
        var coarse = new ImageGeometry((6, 2, 2), (2, 1, 1), (10, 0, 0), ImageGeometry.IdentityDirection);
        var p1 = new float[coarse.VoxelCount];
        var p0 = new float[coarse.VoxelCount];
        for (int i = 0; i < p1.Length; i++) { p1[i] = (i % 6) / 5f; p0[i] = 1 - p1[i]; }
        var map = new ProbabilityMap(coarse, [p0, p1]);
        var fine = new ImageGeometry((11, 2, 2), (1, 1, 1), (10, 0, 0), ImageGeometry.IdentityDirection);

        var p1Fine = TrilinearResampler.Instance.Resample(map.ClassVolume(1), fine);
        var labels = map.ArgMaxOn(fine, TrilinearResampler.Instance);

        Assert.Equal(0.5f, p1Fine.Voxels[5], 1e-5f);   // x = 15 mm, halfway between coarse voxels 2 and 3
        Assert.Equal(0.1f, p1Fine.Voxels[1], 1e-5f);   // x = 11 mm
        Assert.Equal(0, labels.Labels[4]);
        Assert.Equal(1, labels.Labels[6]);
    }

    [Fact]
    public void Resampling_follows_patient_coordinates_across_orientations()
    {
        // Source axis i runs along patient -x; the target grid runs along +x over the same points.
        var flipped = new ImageGeometry((4, 1, 1), (1, 1, 1), (3, 0, 0), [-1, 0, 0, 0, -1, 0, 0, 0, 1]);
        var source = new Volume(flipped, [30f, 20f, 10f, 0f]);   // value = 10 * patient x
        var target = new ImageGeometry((4, 1, 1), (1, 1, 1), (0, 0, 0), ImageGeometry.IdentityDirection);
        Assert.Equal(new[] { 0f, 10f, 20f, 30f }, TrilinearResampler.Instance.Resample(source, target).Voxels);
    }
}
