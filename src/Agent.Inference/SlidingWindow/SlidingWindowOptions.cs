namespace Agent.Inference.SlidingWindow;

/// <summary>How overlapping patch predictions are weighted when they are blended.</summary>
public enum PatchImportance
{
    /// <summary>Gaussian centred on the patch, sigma = patch size / 8 per axis: borders count little (nnU-Net).</summary>
    Gaussian,

    /// <summary>Plain averaging; kept for comparison, it leaves seams where border predictions are worse.</summary>
    Constant,
}

/// <summary>Sliding-window settings. Patch size is (X, Y, Z) in voxels of the model grid; Z = 1 for 2D models.</summary>
public sealed record SlidingWindowOptions
{
    public required (int X, int Y, int Z) PatchSize { get; init; }

    /// <summary>Fraction of a patch shared with its neighbour along each axis, 0 to 0.9.</summary>
    public double Overlap { get; init; } = 0.5;

    public int BatchSize { get; init; } = 2;

    /// <summary>Averages predictions over all flips of the spatial axes (test-time augmentation, 4x or 8x cost).</summary>
    public bool Mirror { get; init; }

    public PatchImportance Importance { get; init; } = PatchImportance.Gaussian;

    /// <summary>
    /// Output channel permutation applied to predictions of X-mirrored patches (X = the patient's left-right axis on
    /// the canonical model grid): a mirrored left kidney looks like a right one, so their channels are exchanged back.
    /// Null = no lateral labels.
    /// </summary>
    public IReadOnlyList<long>? LateralChannelSwap { get; init; }

    public void Validate()
    {
        if (PatchSize.X < 1 || PatchSize.Y < 1 || PatchSize.Z < 1 || (long)PatchSize.X * PatchSize.Y * PatchSize.Z > 64L * 1024 * 1024)
            throw new ArgumentException($"patch size {PatchSize} must be positive and at most 64 Mi voxels");
        if (Overlap is < 0 or > 0.9 || double.IsNaN(Overlap)) throw new ArgumentException($"overlap must be 0-0.9, got {Overlap}");
        if (BatchSize is < 1 or > 256) throw new ArgumentException($"batch size must be 1-256, got {BatchSize}");
    }
}
