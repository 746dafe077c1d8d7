namespace Agent.Imaging.Postprocessing;

/// <summary>What to do with one label after inference (a model package recommends it; configuration may override).</summary>
public sealed record LabelPostProcessing
{
    /// <summary>Morphological opening radius in voxels (0 = off).</summary>
    public int OpeningRadius { get; init; }

    /// <summary>Morphological closing radius in voxels (0 = off).</summary>
    public int ClosingRadius { get; init; }

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
    public static void Apply(LabelVolume v, IReadOnlyDictionary<byte, LabelPostProcessing> steps)
    {
        foreach (var (label, s) in steps.OrderBy(kv => kv.Key))
        {
            if (s.OpeningRadius > 0) Morphology.Open(v, label, s.OpeningRadius);
            if (s.ClosingRadius > 0) Morphology.Close(v, label, s.ClosingRadius);
            if (s.KeepLargestComponent) Morphology.KeepLargestComponent(v, label, s.Connectivity);
            if (s.MinComponentMillilitres > 0) Morphology.RemoveSmallComponents(v, label, s.MinComponentMillilitres, s.Connectivity);
            if (s.FillHoles) Morphology.FillHoles(v, label);
        }
    }
}
