namespace Agent.Imaging.Series;

public enum GeometryPolicy
{
    /// <summary>Resample onto a regular orthogonal grid and report what was done.</summary>
    Resample,
    /// <summary>Report an error and build no volume.</summary>
    Reject,
}

/// <summary>How a series becomes a volume. Defaults suit CT and MR series as PACS send them.</summary>
public sealed record SeriesVolumeOptions
{
    /// <summary>A slice distance above this multiple of the median counts as missing slices.</summary>
    public double GapFactor { get; init; } = 1.5;

    /// <summary>Slices closer than this (mm) along the normal are duplicates.</summary>
    public double DuplicateTolerance { get; init; } = 0.01;

    /// <summary>Slice distances may differ from the median by this fraction before spacing counts as non-uniform.</summary>
    public double SpacingTolerance { get; init; } = 0.02;

    /// <summary>In-plane drift (as a fraction of the pixel spacing) over the stack above which the gantry counts as tilted.</summary>
    public double TiltTolerance { get; init; } = 0.05;

    public GeometryPolicy GantryTilt { get; init; } = GeometryPolicy.Resample;

    /// <summary>What to do with gaps and non-uniform spacing: interpolate onto the median spacing, or refuse.</summary>
    public GeometryPolicy IrregularSpacing { get; init; } = GeometryPolicy.Resample;

    /// <summary>Apply Rescale Slope/Intercept (Hounsfield units for CT). Off gives stored values.</summary>
    public bool ApplyModalityLut { get; init; } = true;

    /// <summary>Upper bounds that keep a hostile or broken series from exhausting memory.</summary>
    public int MaxFrames { get; init; } = 8192;

    public long MaxVoxels { get; init; } = 1L << 30;

    /// <summary>Value for output voxels with no source data (outside a tilted slice); CT air by default.</summary>
    public float FillValue { get; init; } = -1024f;
}
