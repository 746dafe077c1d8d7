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
        return Resample(probabilities, source, target, fastPath: true);
    }

    /// <summary>The same arg-max without the fast path: every class interpolated at every voxel (the reference).</summary>
    internal static LabelVolume ResampleArgmaxSlow(IReadOnlyList<float[]> probabilities, ImageGeometry source, ImageGeometry target)
        => Resample(probabilities, source, target, fastPath: false);

    /// <summary>
    /// Below this margin from one half a class is not trusted to win by the fast path: float rounding of the
    /// interpolation moves values by a few 1e-8, far less.
    /// </summary>
    private const float Margin = 1e-4f;

    private const byte Mixed = 255;

    /// <summary>
    /// Per model voxel: the class whose probability is in [0.5 + margin, 1] while every other class is in
    /// [0, 0.5 - margin], or <see cref="Mixed"/>. Where all eight interpolation corners name the same class c, trilinear
    /// interpolation (a convex combination, and monotone in float arithmetic) keeps c above 0.5 + margin - rounding and
    /// every other class below 0.5 - margin + rounding, so c is the arg-max the full computation would find.
    /// </summary>
    private static byte[] Dominant(IReadOnlyList<float[]> probabilities, long count)
    {
        var dominant = new byte[count];
        int classes = probabilities.Count;
        Parallel.For(0, (count + 65535) / 65536, block =>
        {
            long end = Math.Min(count, (block + 1) * 65536);
            for (long n = block * 65536; n < end; n++)
            {
                byte winner = Mixed;
                bool clear = true;
                for (int c = 0; c < classes; c++)
                {
                    float p = probabilities[c][n];
                    if (p >= 0.5f + Margin && p <= 1f && winner == Mixed) winner = (byte)c;
                    else if (!(p >= 0f && p <= 0.5f - Margin)) clear = false; // NaN lands here too
                }
                dominant[n] = clear ? winner : Mixed;
            }
        });
        return dominant;
    }

    private static LabelVolume Resample(IReadOnlyList<float[]> probabilities, ImageGeometry source, ImageGeometry target, bool fastPath)
    {
        var result = new LabelVolume(target);
        int sx = source.Size.X, sy = source.Size.Y, sz = source.Size.Z, classes = probabilities.Count;
        // With 256 classes label 255 is a class, so the fast path's "no dominant class" marker would be ambiguous.
        var dominant = fastPath && classes < 256 ? Dominant(probabilities, source.VoxelCount) : null;
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
                    if (dominant is not null)
                    {
                        byte d = dominant[r00 + x0];
                        if (d != Mixed && dominant[r00 + x1] == d && dominant[r10 + x0] == d && dominant[r10 + x1] == d
                            && dominant[r01 + x0] == d && dominant[r01 + x1] == d && dominant[r11 + x0] == d && dominant[r11 + x1] == d)
                        {
                            result.Labels[outBase + i + (long)target.Size.X * j] = d;
                            continue;
                        }
                    }
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
