namespace Agent.Imaging.Postprocessing;

/// <summary>What to do with one label after inference (a model package recommends it; configuration may override).</summary>
public sealed record LabelPostProcessing
{
    /// <summary>Morphological opening radius in voxels (0 = off); ignored when <see cref="OpeningMillimetres"/> is set.</summary>
    public int OpeningRadius { get; init; }

    /// <summary>Morphological closing radius in voxels (0 = off); ignored when <see cref="ClosingMillimetres"/> is set.</summary>
    public int ClosingRadius { get; init; }

    /// <summary>Opening radius in millimetres, the same in every direction whatever the spacing (0 = off).</summary>
    public double OpeningMillimetres { get; init; }

    /// <summary>Closing radius in millimetres, the same in every direction whatever the spacing (0 = off).</summary>
    public double ClosingMillimetres { get; init; }

    public bool KeepLargestComponent { get; init; }

    /// <summary>Drop components smaller than this many millilitres (0 = off).</summary>
    public double MinComponentMillilitres { get; init; }

    public bool FillHoles { get; init; }

    public Connectivity Connectivity { get; init; } = Connectivity.TwentySix;
}

public static class PostProcessor
{
    /// <summary>
    /// Applies each label's steps in a fixed order: opening (specks, spurs), closing (gaps between slices), component
    /// filtering, then hole filling (so holes opened by the earlier steps are closed last).
    /// </summary>
    /// <remarks>
    /// One pass finds every label's box; each label is then copied out once, all its steps run on the copy and it is
    /// written back once. A label's steps only change that label's voxels and never grow it beyond its box (closing
    /// and hole filling stay inside it), so the boxes found up front stay valid for every later label.
    /// </remarks>
    public static void Apply(LabelVolume v, IReadOnlyDictionary<byte, LabelPostProcessing> steps)
    {
        ArgumentNullException.ThrowIfNull(v);
        ArgumentNullException.ThrowIfNull(steps);
        var boxes = LabelBoxes.Find(v);
        var spacing = v.Geometry.Spacing;
        foreach (var (label, s) in steps.OrderBy(kv => kv.Key))
        {
            if (boxes[label] is not { } box) continue;
            var opening = s.OpeningMillimetres > 0 ? Ball.InMillimetres(s.OpeningMillimetres, spacing)
                : s.OpeningRadius > 0 ? Ball.InVoxels(s.OpeningRadius) : null;
            var closing = s.ClosingMillimetres > 0 ? Ball.InMillimetres(s.ClosingMillimetres, spacing)
                : s.ClosingRadius > 0 ? Ball.InVoxels(s.ClosingRadius) : null;
            var margin = s.FillHoles ? (X: 1, Y: 1, Z: 1) : (X: 0, Y: 0, Z: 0);
            foreach (var ball in new[] { opening, closing })
                if (ball is not null)
                    margin = (Math.Max(margin.X, ball.Margin.X), Math.Max(margin.Y, ball.Margin.Y), Math.Max(margin.Z, ball.Margin.Z));

            var mask = LabelMask.Of(v, label, box, margin);
            var bits = mask.Bits;
            // Steps that add voxels (closing, hole filling) drop what belongs to another structure straight away, so
            // the next step sees exactly what it would have read back from the volume.
            byte[]? others = closing is not null || s.FillHoles ? mask.Others(v, label) : null;
            if (opening is not null) bits = Morphology.Open(bits, mask, opening);
            if (closing is not null) bits = Without(Morphology.Close(bits, mask, closing), others!);
            if (s.KeepLargestComponent) bits = Morphology.KeepLargest(bits, mask, s.Connectivity);
            if (s.MinComponentMillilitres > 0)
                bits = Morphology.RemoveSmall(bits, mask, LabelMetrics.VoxelMillilitres(v.Geometry), s.MinComponentMillilitres, s.Connectivity);
            if (s.FillHoles) bits = Without(Morphology.Fill(bits, mask), others!);
            mask.WithBits(bits).WriteBack(v, label);
        }
    }

    private static byte[] Without(byte[] bits, byte[] others)
    {
        Chunks.For(bits.LongLength, (from, to) => { for (long i = from; i < to; i++) bits[i] &= (byte)(others[i] ^ 1); });
        return bits;
    }
}
