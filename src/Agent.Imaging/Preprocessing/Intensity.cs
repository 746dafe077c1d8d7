namespace Agent.Imaging.Preprocessing;

/// <summary>Intensity normalisation in place (float32, parallel over slices), as CT and MR models expect it.</summary>
public static class Intensity
{
    /// <summary>CT: clip to [min, max] Hounsfield units, then (x - mean) / std (nnU-Net's CT scheme).</summary>
    public static void ClipAndStandardize(Volume v, float min, float max, float mean, float std)
    {
        if (!(max > min)) throw new ArgumentException("max must be above min", nameof(max));
        if (!(std > 0)) throw new ArgumentOutOfRangeException(nameof(std), "std must be positive");
        var inv = 1f / std;
        ForEachSlice(v, span => { for (int i = 0; i < span.Length; i++) span[i] = (Math.Clamp(span[i], min, max) - mean) * inv; });
    }

    /// <summary>CT: clip to a window and scale it to [0, 1].</summary>
    public static void ClipToUnitRange(Volume v, float min, float max)
    {
        if (!(max > min)) throw new ArgumentException("max must be above min", nameof(max));
        var inv = 1f / (max - min);
        ForEachSlice(v, span => { for (int i = 0; i < span.Length; i++) span[i] = (Math.Clamp(span[i], min, max) - min) * inv; });
    }

    /// <summary>
    /// MR: z-score with mean and standard deviation taken over the foreground (voxels above
    /// <paramref name="foregroundThreshold"/>, by default the non-zero body), applied to every voxel; background is set
    /// to 0 when <paramref name="zeroBackground"/>. Returns the statistics used.
    /// </summary>
    public static (double Mean, double Std) ZScoreForeground(Volume v, float foregroundThreshold = 0f, bool zeroBackground = true)
    {
        var (count, sum, sumSq) = Statistics(v, foregroundThreshold);
        if (count == 0) return (0, 1);
        var mean = sum / count;
        var std = Math.Sqrt(Math.Max(0, sumSq / count - mean * mean));
        if (std < 1e-8) std = 1;
        float m = (float)mean, inv = (float)(1 / std), t = foregroundThreshold;
        ForEachSlice(v, span =>
        {
            for (int i = 0; i < span.Length; i++)
                span[i] = zeroBackground && !(span[i] > t) ? 0f : (span[i] - m) * inv;
        });
        return (mean, std);
    }

    /// <summary>
    /// Otsu's threshold (the split of a 256-bin histogram that maximises between-class variance): separates an MR
    /// body from its noisy background, where "non-zero" would count the noise as foreground.
    /// Use as <c>ZScoreForeground(v, OtsuThreshold(v))</c>.
    /// </summary>
    public static float OtsuThreshold(Volume v)
    {
        const int Bins = 256;
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (var x in v.Voxels)
        {
            if (!float.IsFinite(x)) continue;
            if (x < min) min = x;
            if (x > max) max = x;
        }
        if (!(max > min)) return min;
        var histogram = new long[Bins];
        double scale = (Bins - 1) / ((double)max - min);
        foreach (var x in v.Voxels)
            if (float.IsFinite(x)) histogram[(int)((x - min) * scale)]++;
        double total = 0, weighted = 0;
        for (int b = 0; b < Bins; b++) { total += histogram[b]; weighted += b * (double)histogram[b]; }
        double below = 0, belowWeighted = 0, best = -1;
        int split = 0;
        for (int b = 0; b < Bins - 1; b++)
        {
            below += histogram[b];
            belowWeighted += b * (double)histogram[b];
            double above = total - below;
            if (below == 0 || above == 0) continue;
            double m0 = belowWeighted / below, m1 = (weighted - belowWeighted) / above;
            double between = below * above * (m0 - m1) * (m0 - m1);
            if (between > best) { best = between; split = b; }
        }
        // Upper edge of the last background bin.
        return (float)(min + (split + 1) / scale);
    }

    private static (long Count, double Sum, double SumSq) Statistics(Volume v, float threshold)
    {
        var g = v.Geometry;
        int n = g.Size.X * g.Size.Y;
        long count = 0;
        double sum = 0, sumSq = 0;
        var gate = new object();
        Parallel.For(0, g.Size.Z, () => (0L, 0.0, 0.0), (k, _, acc) =>
        {
            var span = v.Voxels.AsSpan((int)((long)k * n), n);
            foreach (var x in span)
                if (x > threshold) { acc.Item1++; acc.Item2 += x; acc.Item3 += (double)x * x; }
            return acc;
        }, acc => { lock (gate) { count += acc.Item1; sum += acc.Item2; sumSq += acc.Item3; } });
        return (count, sum, sumSq);
    }

    private delegate void SliceAction(Span<float> slice);

    private static void ForEachSlice(Volume v, SliceAction action)
    {
        var g = v.Geometry;
        int n = g.Size.X * g.Size.Y;
        Parallel.For(0, g.Size.Z, k => action(v.Voxels.AsSpan((int)((long)k * n), n)));
    }
}
