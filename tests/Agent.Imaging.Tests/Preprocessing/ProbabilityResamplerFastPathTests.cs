using Agent.Imaging.Preprocessing;

namespace Agent.Imaging.Tests.Preprocessing;

/// <summary>The arg-max fast path (one class above one half at all eight corners) must change no label.</summary>
public sealed class ProbabilityResamplerFastPathTests
{
    private static readonly double[] Rotated = [Math.Cos(0.3), -Math.Sin(0.3), 0, Math.Sin(0.3), Math.Cos(0.3), 0, 0, 0, 1];

    private static float[][] Softmax(double[][] logits)
    {
        int classes = logits.Length, n = logits[0].Length;
        var p = new float[classes][];
        for (int c = 0; c < classes; c++) p[c] = new float[n];
        for (int v = 0; v < n; v++)
        {
            double max = logits.Max(l => l[v]), sum = 0;
            for (int c = 0; c < classes; c++) sum += Math.Exp(logits[c][v] - max);
            for (int c = 0; c < classes; c++) p[c][v] = (float)(Math.Exp(logits[c][v] - max) / sum);
        }
        return p;
    }

    /// <summary>Organ-like blobs: each class's logit peaks inside its own ellipsoid, with noise on top.</summary>
    private static float[][] Blobs(ImageGeometry g, int classes, int seed, double noise)
    {
        var rng = new Random(seed);
        var logits = new double[classes][];
        for (int c = 0; c < classes; c++) logits[c] = new double[g.VoxelCount];
        var centres = Enumerable.Range(0, classes).Select(_ => (rng.NextDouble() * g.Size.X, rng.NextDouble() * g.Size.Y, rng.NextDouble() * g.Size.Z, 2 + rng.NextDouble() * 5)).ToArray();
        for (int k = 0; k < g.Size.Z; k++)
            for (int j = 0; j < g.Size.Y; j++)
                for (int i = 0; i < g.Size.X; i++)
                {
                    long n = i + (long)g.Size.X * (j + (long)g.Size.Y * k);
                    logits[0][n] = 2 + noise * rng.NextDouble();
                    for (int c = 1; c < classes; c++)
                    {
                        var (x, y, z, r) = centres[c];
                        double d = Math.Sqrt((i - x) * (i - x) + (j - y) * (j - y) + (k - z) * (k - z));
                        logits[c][n] = 3 * (1 - d / r) + 2 + noise * rng.NextDouble();
                    }
                }
        return Softmax(logits);
    }

    private static float[][] Random(ImageGeometry g, int classes, int seed, double scale)
    {
        var rng = new Random(seed);
        var logits = new double[classes][];
        for (int c = 0; c < classes; c++) logits[c] = [.. Enumerable.Range(0, (int)g.VoxelCount).Select(_ => scale * rng.NextDouble())];
        return Softmax(logits);
    }

    private static ImageGeometry ModelGrid() => new((17, 15, 9), (1.5, 1.5, 1.5), (-3, -2, -4), ImageGeometry.IdentityDirection);

    private static ImageGeometry Original(bool rotated) =>
        new((60, 55, 30), (0.45, 0.45, 0.5), (-4, -3, -5), rotated ? Rotated : ImageGeometry.IdentityDirection);

    [Theory]
    [InlineData(1, 0.5, false)]
    [InlineData(2, 2.0, false)]
    [InlineData(3, 1.0, true)]
    [InlineData(4, 4.0, true)]
    public void Structured_probabilities_give_the_same_labels_with_and_without_the_fast_path(int seed, double noise, bool rotated)
    {
        var model = ModelGrid();
        var p = Blobs(model, 5, seed, noise);

        var fast = ProbabilityResampler.ResampleArgmax(p, model, Original(rotated));
        var slow = ProbabilityResampler.ResampleArgmaxSlow(p, model, Original(rotated));

        Assert.Equal(slow.Labels, fast.Labels);
        Assert.True(fast.Labels.Distinct().Count() >= 3, "the scene should hold several classes");
    }

    [Theory]
    [InlineData(5, 1.0, 2)]
    [InlineData(6, 6.0, 3)]
    [InlineData(7, 12.0, 5)]
    public void Random_probabilities_give_the_same_labels_with_and_without_the_fast_path(int seed, double scale, int classes)
    {
        var model = ModelGrid();
        var p = Random(model, classes, seed, scale);

        var fast = ProbabilityResampler.ResampleArgmax(p, model, Original(rotated: seed % 2 == 0));
        var slow = ProbabilityResampler.ResampleArgmaxSlow(p, model, Original(rotated: seed % 2 == 0));

        Assert.Equal(slow.Labels, fast.Labels);
    }

    [Fact]
    public void Values_that_are_not_probabilities_fall_back_to_full_interpolation()
    {
        // Scores above one, negative ones and NaN must not be trusted by the one-half rule.
        var model = ModelGrid();
        var rng = new Random(8);
        var p = new float[3][];
        for (int c = 0; c < 3; c++) p[c] = [.. Enumerable.Range(0, (int)model.VoxelCount).Select(_ => (float)(rng.NextDouble() * 4 - 1))];
        p[1][100] = float.NaN;

        var fast = ProbabilityResampler.ResampleArgmax(p, model, Original(rotated: false));
        var slow = ProbabilityResampler.ResampleArgmaxSlow(p, model, Original(rotated: false));

        Assert.Equal(slow.Labels, fast.Labels);
    }
}
