namespace Agent.Imaging;

/// <summary>
/// Where a voxel grid sits in DICOM patient space (LPS, millimetres). Index (i, j, k) maps to
/// Origin + Direction * (i*Sx, j*Sy, k*Sz); column i runs along Direction's first column (the DICOM row direction).
/// Data is stored x-fastest: index = i + Nx*(j + Ny*k).
/// </summary>
public sealed record ImageGeometry(
    (int X, int Y, int Z) Size,
    (double X, double Y, double Z) Spacing,
    (double X, double Y, double Z) Origin,
    double[] Direction)
{
    /// <summary>Row-major 3x3: Direction[r*3 + c]; columns are the unit vectors of the i, j, k axes.</summary>
    public static double[] IdentityDirection => [1, 0, 0, 0, 1, 0, 0, 0, 1];

    public long VoxelCount => (long)Size.X * Size.Y * Size.Z;

    // A record compares arrays by reference; two grids with the same numbers must be equal (callers test
    // "grid == image.Geometry" to skip resampling).
    public bool Equals(ImageGeometry? other)
        => other is not null && Size == other.Size && Spacing == other.Spacing && Origin == other.Origin
           && Direction.AsSpan().SequenceEqual(other.Direction);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Size);
        hash.Add(Spacing);
        hash.Add(Origin);
        foreach (var d in Direction) hash.Add(d);
        return hash.ToHashCode();
    }

    public (double X, double Y, double Z) IndexToPatient(double i, double j, double k)
    {
        double a = i * Spacing.X, b = j * Spacing.Y, c = k * Spacing.Z;
        var d = Direction;
        return (Origin.X + d[0] * a + d[1] * b + d[2] * c,
                Origin.Y + d[3] * a + d[4] * b + d[5] * c,
                Origin.Z + d[6] * a + d[7] * b + d[8] * c);
    }

    public (double I, double J, double K) PatientToIndex(double x, double y, double z)
    {
        // Direction is orthonormal, so its inverse is its transpose.
        double px = x - Origin.X, py = y - Origin.Y, pz = z - Origin.Z;
        var d = Direction;
        return ((d[0] * px + d[3] * py + d[6] * pz) / Spacing.X,
                (d[1] * px + d[4] * py + d[7] * pz) / Spacing.Y,
                (d[2] * px + d[5] * py + d[8] * pz) / Spacing.Z);
    }
}

/// <summary>A scalar image (e.g. Hounsfield units) on a grid. Float32 keeps a 512x512x500 CT at 500 MB.</summary>
public sealed class Volume(ImageGeometry geometry, float[] voxels)
{
    public Volume(ImageGeometry geometry) : this(geometry, new float[geometry.VoxelCount]) { }

    public ImageGeometry Geometry { get; } = geometry;
    public float[] Voxels { get; } = voxels.LongLength == geometry.VoxelCount ? voxels
        : throw new ArgumentException($"expected {geometry.VoxelCount} voxels, got {voxels.LongLength}", nameof(voxels));

    public ref float At(int i, int j, int k) => ref Voxels[i + (long)Geometry.Size.X * (j + (long)Geometry.Size.Y * k)];
}

/// <summary>A label map (0 = background, 1..N = structures) on a grid.</summary>
public sealed class LabelVolume(ImageGeometry geometry, byte[] labels)
{
    public LabelVolume(ImageGeometry geometry) : this(geometry, new byte[geometry.VoxelCount]) { }

    public ImageGeometry Geometry { get; } = geometry;
    public byte[] Labels { get; } = labels.LongLength == geometry.VoxelCount ? labels
        : throw new ArgumentException($"expected {geometry.VoxelCount} labels, got {labels.LongLength}", nameof(labels));

    public ref byte At(int i, int j, int k) => ref Labels[i + (long)Geometry.Size.X * (j + (long)Geometry.Size.Y * k)];
}
