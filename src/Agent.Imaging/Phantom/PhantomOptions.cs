namespace Agent.Imaging.Phantom;

public enum PatientPosition
{
    /// <summary>Head first supine: scanner axes equal patient LPS axes.</summary>
    HFS,
    /// <summary>Feet first supine: the patient's left-right and head-feet axes run opposite to the scanner's.</summary>
    FFS,
}

public enum ContrastPhase { NonContrast, PortalVenous }

/// <summary>
/// Everything random about a phantom is drawn from <see cref="Seed"/>; any value set here overrides the draw. The
/// defaults give a realistic scan (512 matrix, 0.6-1.0 mm pixels, 0.5-5 mm slices), which is large; tests and
/// training pass a smaller <see cref="Matrix"/> and coarser spacing.
/// </summary>
public sealed record PhantomOptions
{
    public int Seed { get; init; }

    /// <summary>Rows and columns of each slice.</summary>
    public int Matrix { get; init; } = 512;

    /// <summary>In-plane pixel spacing in mm; drawn from 0.6-1.0 when null.</summary>
    public double? PixelSpacing { get; init; }

    /// <summary>Distance between slices (and their thickness) in mm; drawn from 0.5-5 when null.</summary>
    public double? SliceSpacing { get; init; }

    public PatientPosition? Position { get; init; }

    public ContrastPhase? Phase { get; init; }

    /// <summary>Standard deviation of the image noise in HU; drawn from 5-25 when null.</summary>
    public double? NoiseHu { get; init; }

    /// <summary>Build the CT slices as DICOM datasets (off for training data, which only needs the volumes).</summary>
    public bool CreateDicom { get; init; } = true;

    public string PatientId { get; init; } = "";

    public string PatientName { get; init; } = "";

    /// <summary>Upper bound on voxels, so a typo in the options cannot exhaust memory.</summary>
    public long MaxVoxels { get; init; } = 600_000_000;
}
