namespace Agent.Imaging.Preprocessing;

/// <summary>
/// Brings a model's per-class probabilities (on the model grid) back to the original grid and takes the argmax there,
/// one output voxel at a time: the original-grid per-class volume is never allocated, so memory stays at the inputs
/// plus one byte per output voxel.
/// </summary>
public static class ProbabilityResampler
{
    /// <param name="probabilities">One array per class (class index = label value), each laid out on <paramref name="source"/>.</param>
    /// <param name="source">The grid the probabilities were predicted on.</param>
    /// <param name="target">The original image grid.</param>
    public static LabelVolume ResampleArgmax(IReadOnlyList<float[]> probabilities, ImageGeometry source, ImageGeometry target)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        if (probabilities.Count is < 1 or > 256) throw new ArgumentException("between 1 and 256 classes are supported", nameof(probabilities));
        foreach (var p in probabilities)
            if (p.LongLength != source.VoxelCount) throw new ArgumentException("every class must have one value per source voxel", nameof(probabilities));
        var result = new LabelVolume(target);
        int sx = source.Size.X, sy = source.Size.Y, sz = source.Size.Z, classes = probabilities.Count;
        var map = IndexMap.Between(target, source);
        Parallel.For(0, target.Size.Z, k =>
        {
            long outBase = (long)k * target.Size.X * target.Size.Y;
            for (int j = 0; j < target.Size.Y; j++)
            {
                var (x, y, z) = map.At(0, j, k);
                for (int i = 0; i < target.Size.X; i++, x += map.Di.X, y += map.Di.Y, z += map.Di.Z)
                {
                    // Outside the model grid nothing was predicted: background.
                    if (x < -0.5 || y < -0.5 || z < -0.5 || x > sx - 0.5 || y > sy - 0.5 || z > sz - 0.5) continue;
                    var (x0, x1, fx) = Corners(x, sx);
                    var (y0, y1, fy) = Corners(y, sy);
                    var (z0, z1, fz) = Corners(z, sz);
                    long r00 = (long)sx * (y0 + (long)sy * z0), r10 = (long)sx * (y1 + (long)sy * z0);
                    long r01 = (long)sx * (y0 + (long)sy * z1), r11 = (long)sx * (y1 + (long)sy * z1);
                    int best = 0;
                    float bestValue = float.NegativeInfinity;
                    for (int c = 0; c < classes; c++)
                    {
                        var s = probabilities[c];
                        float c00 = s[r00 + x0] + fx * (s[r00 + x1] - s[r00 + x0]);
                        float c10 = s[r10 + x0] + fx * (s[r10 + x1] - s[r10 + x0]);
                        float c01 = s[r01 + x0] + fx * (s[r01 + x1] - s[r01 + x0]);
                        float c11 = s[r11 + x0] + fx * (s[r11 + x1] - s[r11 + x0]);
                        float c0 = c00 + fy * (c10 - c00), c1 = c01 + fy * (c11 - c01);
                        float v = c0 + fz * (c1 - c0);
                        if (v > bestValue) { bestValue = v; best = c; }
                    }
                    result.Labels[outBase + i + (long)target.Size.X * j] = (byte)best;
                }
            }
        });
        return result;
    }

    private static (int Lo, int Hi, float F) Corners(double x, int n)
    {
        x = Math.Clamp(x, 0, n - 1);
        var r = Math.Round(x);
        if (Math.Abs(x - r) < 1e-6) x = r;
        int lo = (int)x;
        return (lo, Math.Min(lo + 1, n - 1), (float)(x - lo));
    }
}
