using Agent.Imaging;
using Agent.Inference.Packages;

namespace Agent.Inference;

/// <summary>Applies a manifest's normalisation to a volume on the model grid, returning a new volume.</summary>
public static class IntensityNormalizer
{
    public static Volume Apply(Volume image, NormalizationSpec spec)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(spec);
        var src = image.Voxels;
        var dst = new float[src.LongLength];
        if (spec.Scheme == "ct")
        {
            double lo = spec.Window![0], hi = spec.Window[1];
            double mean = spec.Mean ?? (lo + hi) / 2, std = spec.Std ?? (hi - lo) / 2;
            for (long i = 0; i < src.LongLength; i++) dst[i] = (float)((Math.Clamp(src[i], lo, hi) - mean) / std);
            return new Volume(image.Geometry, dst);
        }

        // MR z-score over the foreground (body), so air outside does not dominate the statistics.
        double threshold = spec.ForegroundThreshold ?? src.Average(v => (double)v);
        double sum = 0, sumSq = 0;
        long n = 0;
        foreach (var v in src)
        {
            if (v <= threshold) continue;
            sum += v;
            sumSq += (double)v * v;
            n++;
        }
        double m = n > 0 ? sum / n : 0;
        double sd = n > 1 ? Math.Sqrt(Math.Max(sumSq / n - m * m, 0)) : 1;
        if (sd < 1e-8) sd = 1;
        for (long i = 0; i < src.LongLength; i++) dst[i] = (float)((src[i] - m) / sd);
        return new Volume(image.Geometry, dst);
    }
}
