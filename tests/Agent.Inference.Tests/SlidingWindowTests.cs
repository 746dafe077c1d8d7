using Agent.Imaging;
using Agent.Inference.SlidingWindow;
using static TorchSharp.torch;

namespace Agent.Inference.Tests;

public sealed class SlidingWindowTests
{
    private static Volume RandomVolume(int nx, int ny, int nz, int seed)
    {
        var rng = new Random(seed);
        var g = new ImageGeometry((nx, ny, nz), (1, 1, 1), (0, 0, 0), ImageGeometry.IdentityDirection);
        var v = new Volume(g);
        for (int i = 0; i < v.Voxels.Length; i++) v.Voxels[i] = (float)(rng.NextDouble() * 4 - 2);
        return v;
    }

    // Each voxel's logits depend on that voxel alone, so any blend of overlapping patches must give the same answer.
    private static Tensor Pointwise(Tensor x) => cat([-x, x * 2, x.square()], 1);

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(0.25, false)]
    [InlineData(0.5, false)]
    [InlineData(0.5, true)]
    public void A_pointwise_model_gives_the_same_probabilities_at_every_overlap_and_with_mirroring(double overlap, bool mirror)
    {
        var image = RandomVolume(37, 29, 13, seed: 1);
        var options = new SlidingWindowOptions { PatchSize = (16, 12, 8), Overlap = overlap, Mirror = mirror, BatchSize = 3 };

        var map = SlidingWindowPredictor.Predict(image, Pointwise, 3, options, CPU, CancellationToken.None);

        using var whole = softmax(Pointwise(tensor(image.Voxels, new long[] { 1, 1, 13, 29, 37 })), 1);
        for (int c = 0; c < 3; c++)
        {
            var expected = whole[0, c].flatten().data<float>().ToArray();
            var actual = map.Classes[c];
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-5f);
        }
    }

    [Fact]
    public void A_model_that_outputs_NaN_for_one_patch_fails_the_prediction_naming_that_patch()
    {
        var image = RandomVolume(32, 16, 8, seed: 2);
        var options = new SlidingWindowOptions { PatchSize = (16, 16, 8), Overlap = 0, BatchSize = 1 };
        // Finite everywhere except where the second patch (x 16-31) is fed in: its values are all above 100.
        static Tensor NaNInSecondPatch(Tensor x) => where(x.max() > 100, full_like(cat([x, x], 1), double.NaN), cat([-x, x], 1));
        image.Voxels.AsSpan().Clear();
        for (int z = 0; z < 8; z++) for (int y = 0; y < 16; y++) for (int x = 16; x < 32; x++) image.At(x, y, z) = 200;

        var e = Assert.Throws<NonFiniteOutputException>(() => SlidingWindowPredictor.Predict(image, NaNInSecondPatch, 2, options, CPU, CancellationToken.None));

        Assert.Contains("4096 non-finite probabilities", e.Message, StringComparison.Ordinal);
        Assert.Contains("patch at voxel (16, 0, 0)", e.Message, StringComparison.Ordinal);
    }

    // A model that is wrong near its patch borders, as real networks are with little context there.
    private static Tensor BorderArtifact(Tensor x)
    {
        var d = x.shape[2]; var h = x.shape[3]; var w = x.shape[4];
        var edge = zeros(d, h, w);
        edge[.., .., ..3] = 6f;
        edge[.., .., (int)(w - 3)..] = 6f;
        return cat([zeros_like(x), x + edge], 1);
    }

    private static float LargestJumpInside(ProbabilityMap map, int margin)
    {
        var (nx, ny, nz) = map.Geometry.Size;
        var p = map.Classes[1];
        float jump = 0;
        for (int z = 0; z < nz; z++)
        {
            for (int y = 0; y < ny; y++)
            {
                for (int x = margin; x < nx - margin - 1; x++)
                {
                    long i = x + (long)nx * (y + (long)ny * z);
                    jump = Math.Max(jump, Math.Abs(p[i + 1] - p[i]));
                }
            }
        }
        return jump;
    }

    [Fact]
    public void Gaussian_blending_removes_the_seams_that_plain_averaging_leaves_at_patch_borders()
    {
        var g = new ImageGeometry((96, 4, 4), (1, 1, 1), (0, 0, 0), ImageGeometry.IdentityDirection);
        var flat = new Volume(g);
        var gaussian = new SlidingWindowOptions { PatchSize = (32, 4, 4), Overlap = 0.5 };
        var constant = gaussian with { Importance = PatchImportance.Constant };

        float seamGaussian = LargestJumpInside(SlidingWindowPredictor.Predict(flat, BorderArtifact, 2, gaussian, CPU, CancellationToken.None), 4);
        float seamConstant = LargestJumpInside(SlidingWindowPredictor.Predict(flat, BorderArtifact, 2, constant, CPU, CancellationToken.None), 4);

        Assert.True(seamConstant > 0.2f, $"plain averaging shows the artifact (jump {seamConstant})");
        Assert.True(seamGaussian < 0.02f, $"Gaussian blending hides it (jump {seamGaussian}, plain {seamConstant})");
    }

    [Fact]
    public void A_volume_smaller_than_the_patch_is_padded_and_cropped_back()
    {
        var image = RandomVolume(5, 7, 3, seed: 2);
        var map = SlidingWindowPredictor.Predict(image, Pointwise, 3, new SlidingWindowOptions { PatchSize = (8, 8, 4) }, CPU, CancellationToken.None);
        Assert.Equal(image.Geometry, map.Geometry);
        Assert.Equal(image.Voxels.Length, map.Classes[0].Length);
        float x = image.Voxels[^1];
        var expected = softmax(tensor(new[] { -x, 2 * x, x * x }), 0).data<float>().ToArray();
        Assert.Equal(expected[1], map.Classes[1][^1], 1e-5f);
    }

    [Fact]
    public void A_2D_model_runs_slice_by_slice_with_a_patch_one_voxel_thick()
    {
        var image = RandomVolume(20, 20, 6, seed: 3);
        var options = new SlidingWindowOptions { PatchSize = (16, 16, 1), Mirror = true };
        var map = SlidingWindowPredictor.Predict(image, Pointwise, 3, options, CPU, CancellationToken.None);
        float x = image.Voxels[1234];
        var expected = softmax(tensor(new[] { -x, 2 * x, x * x }), 0).data<float>().ToArray();
        Assert.Equal(expected[2], map.Classes[2][1234], 1e-5f);
    }

    [Fact]
    public void A_model_with_the_wrong_number_of_classes_is_reported_clearly()
    {
        var image = RandomVolume(8, 8, 8, seed: 4);
        var ex = Assert.Throws<InvalidOperationException>(() => SlidingWindowPredictor.Predict(
            image, Pointwise, 4, new SlidingWindowOptions { PatchSize = (8, 8, 8) }, CPU, CancellationToken.None));
        Assert.Contains("4 classes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prediction_stops_when_cancelled()
    {
        var image = RandomVolume(16, 16, 16, seed: 5);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => SlidingWindowPredictor.Predict(
            image, Pointwise, 3, new SlidingWindowOptions { PatchSize = (8, 8, 8) }, CPU, cts.Token));
    }

    [Theory]
    [InlineData(100, 32, 0.5, new[] { 0, 14, 27, 41, 54, 68 })]
    [InlineData(32, 32, 0.5, new[] { 0 })]
    [InlineData(40, 32, 0.0, new[] { 0, 8 })]
    public void Patch_starts_cover_the_axis_evenly_and_end_flush(int size, int patch, double overlap, int[] expected)
    {
        Assert.Equal(expected, PatchGrid.Starts(size, patch, overlap));
    }

    [Fact]
    public void The_gaussian_importance_map_peaks_at_one_in_the_centre_and_is_never_zero()
    {
        var map = ImportanceMap.Create((9, 9, 9), PatchImportance.Gaussian);
        Assert.Equal(1f, map[4 + 9 * (4 + 9 * 4)], 1e-6f);
        Assert.True(map.Min() > 0f);
        // sigma = 9/8: one voxel from the centre weighs exp(-0.5 * (8/9)^2).
        Assert.Equal((float)Math.Exp(-0.5 * 64.0 / 81.0), map[5 + 9 * (4 + 9 * 4)], 1e-5f);
    }
}

public sealed class MirroringTests
{
    // "Left" (class 1) where the patch's x is high, "right" (class 2) where it is low: a model that knows sides.
    private static Tensor SideAware(Tensor x)
    {
        long w = x.shape[4];
        var ramp = linspace(-3, 3, w).view(1, 1, 1, 1, w).expand(x.shape);
        return cat([zeros_like(x), ramp, -ramp], 1);
    }

    [Fact]
    public void Mirroring_along_left_right_keeps_lateral_classes_apart_when_their_channels_are_swapped_back()
    {
        var image = new Volume(new ImageGeometry((16, 8, 8), (1, 1, 1), (0, 0, 0), ImageGeometry.IdentityDirection));
        var plain = new SlidingWindowOptions { PatchSize = (16, 8, 8) };
        var swapped = plain with { Mirror = true, LateralChannelSwap = [0, 2, 1] };
        var naive = plain with { Mirror = true };

        var expected = SlidingWindowPredictor.Predict(image, SideAware, 3, plain, CPU, CancellationToken.None);
        var withSwap = SlidingWindowPredictor.Predict(image, SideAware, 3, swapped, CPU, CancellationToken.None);
        var withoutSwap = SlidingWindowPredictor.Predict(image, SideAware, 3, naive, CPU, CancellationToken.None);

        for (int i = 0; i < expected.Classes[1].Length; i++) Assert.Equal(expected.Classes[1][i], withSwap.Classes[1][i], 1e-5f);
        Assert.Equal(withoutSwap.Classes[1][15], withoutSwap.Classes[2][15], 1e-5f);   // left and right blurred together
    }
}
