namespace Agent.Imaging.Postprocessing;

/// <summary>Overlap and volume per label, the yardsticks of segmentation.</summary>
public static class LabelMetrics
{
    public static double VoxelMillilitres(ImageGeometry g) => g.Spacing.X * g.Spacing.Y * g.Spacing.Z / 1000.0;

    public static long Count(LabelVolume v, byte label)
    {
        long n = 0;
        foreach (var l in v.Labels) if (l == label) n++;
        return n;
    }

    public static double VolumeMillilitres(LabelVolume v, byte label) => Count(v, label) * VoxelMillilitres(v.Geometry);

    /// <summary>Dice = 2|A∩B| / (|A| + |B|) on the same grid; 1 when both are empty (nothing to find, nothing found).</summary>
    public static double Dice(LabelVolume prediction, LabelVolume reference, byte label)
    {
        if (prediction.Geometry.Size != reference.Geometry.Size)
            throw new ArgumentException("prediction and reference must share a grid; resample one first", nameof(prediction));
        long a = 0, b = 0, both = 0;
        var p = prediction.Labels;
        var r = reference.Labels;
        for (long i = 0; i < p.LongLength; i++)
        {
            bool x = p[i] == label, y = r[i] == label;
            if (x) a++;
            if (y) b++;
            if (x && y) both++;
        }
        return a + b == 0 ? 1.0 : 2.0 * both / (a + b);
    }

    /// <summary>Dice and both volumes for each label 1..<paramref name="maxLabel"/>.</summary>
    public static IReadOnlyList<LabelScore> Score(LabelVolume prediction, LabelVolume reference, byte maxLabel)
    {
        var list = new List<LabelScore>();
        for (int l = 1; l <= maxLabel; l++)
        {
            var label = (byte)l;
            list.Add(new LabelScore(label, Dice(prediction, reference, label),
                VolumeMillilitres(prediction, label), VolumeMillilitres(reference, label)));
        }
        return list;
    }
}

public sealed record LabelScore(byte Label, double Dice, double PredictedMillilitres, double ReferenceMillilitres);
