using Agent.Imaging;

namespace Agent.Results.Reports;

/// <summary>Volume and intensity statistics of one segment.</summary>
public sealed record SegmentStatistics(int LabelValue, long VoxelCount, double VolumeCm3, double Mean, double StandardDeviation)
{
    /// <summary>Per label value: voxel count, volume in cm3 and mean/std of the image (HU for CT) inside it, one pass.</summary>
    public static IReadOnlyDictionary<int, SegmentStatistics> Compute(LabelVolume labels, Volume image)
    {
        if (labels.Geometry.Size != image.Geometry.Size) throw new ArgumentException("labels and image must share a grid", nameof(image));
        var count = new long[256];
        var sum = new double[256];
        var sumSq = new double[256];
        var l = labels.Labels;
        var v = image.Voxels;
        for (long i = 0; i < l.LongLength; i++)
        {
            var label = l[i];
            if (label == 0) continue;
            double x = v[i];
            count[label]++;
            sum[label] += x;
            sumSq[label] += x * x;
        }
        var s = labels.Geometry.Spacing;
        double voxelCm3 = s.X * s.Y * s.Z / 1000.0;
        var result = new Dictionary<int, SegmentStatistics>();
        for (int label = 1; label < 256; label++)
        {
            if (count[label] == 0) { result[label] = new SegmentStatistics(label, 0, 0, 0, 0); continue; }
            double mean = sum[label] / count[label];
            double variance = Math.Max(0, (sumSq[label] / count[label]) - (mean * mean));
            result[label] = new SegmentStatistics(label, count[label], count[label] * voxelCm3, mean, Math.Sqrt(variance));
        }
        return result;
    }
}
