using Agent.Imaging;
using Agent.Inference.Packages;

namespace Agent.Inference.Tests;

public sealed class IntensityNormalizerTests
{
    private static Volume Of(params float[] values) =>
        new(new ImageGeometry((values.Length, 1, 1), (1, 1, 1), (0, 0, 0), ImageGeometry.IdentityDirection), values);

    [Fact]
    public void CT_values_are_clipped_to_the_window_then_standardised()
    {
        var spec = new NormalizationSpec { Scheme = "ct", Window = [-100, 200], Mean = 50, Std = 50 };
        var result = IntensityNormalizer.Apply(Of(-1000, 50, 150, 3000), spec);
        Assert.Equal(new[] { -3f, 0f, 2f, 3f }, result.Voxels);
    }

    [Fact]
    public void MR_z_score_uses_the_foreground_only_so_air_does_not_skew_it()
    {
        var spec = new NormalizationSpec { Scheme = "zscore", ForegroundThreshold = 10 };
        var result = IntensityNormalizer.Apply(Of(0, 0, 0, 0, 100, 200, 300), spec);
        // Foreground 100, 200, 300: mean 200, population std sqrt(20000/3).
        double std = Math.Sqrt(20000.0 / 3);
        Assert.Equal((float)(100 / std), result.Voxels[6], 1e-5f);
        Assert.Equal(0f, result.Voxels[5], 1e-6f);
        Assert.Equal((float)(-200 / std), result.Voxels[0], 1e-5f);
    }
}
