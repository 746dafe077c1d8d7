namespace Agent.Imaging.Postprocessing;

/// <summary>
/// A Euclidean ball as the structuring element: offset (di, dj, dk) is inside when
/// (di·Sx)² + (dj·Sy)² + (dk·Sz)² ≤ r², with a relative tolerance of 1e-6 so that offsets exactly on the sphere count
/// as inside whatever the rounding.
/// </summary>
internal sealed record Ball((double X, double Y, double Z) Spacing, double Radius)
{
    public const double Tolerance = 1e-6;

    public double SquaredLimit => Radius * Radius * (1 + Tolerance);

    /// <summary>
    /// Voxels of box margin per axis: the ball's reach plus one, so the outermost ring never holds a dilated voxel and
    /// erosion's "outside is background" changes nothing away from the scan edge.
    /// </summary>
    public (int X, int Y, int Z) Margin => (Reach(Spacing.X) + 1, Reach(Spacing.Y) + 1, Reach(Spacing.Z) + 1);

    private int Reach(double s) => (int)Math.Floor(Math.Sqrt(SquaredLimit) / s);

    /// <summary>The voxel ball of the voxel-radius API (i² + j² + k² ≤ r² on the index grid).</summary>
    public static Ball InVoxels(int radius)
    {
        if (radius is < 1 or > 8) throw new ArgumentOutOfRangeException(nameof(radius), "radius must be 1..8 voxels");
        return new Ball((1, 1, 1), radius);
    }

    public static Ball InMillimetres(double millimetres, (double X, double Y, double Z) spacing)
    {
        if (!(millimetres > 0) || !double.IsFinite(millimetres)) throw new ArgumentOutOfRangeException(nameof(millimetres), "radius must be a positive number of millimetres");
        return new Ball(spacing, millimetres);
    }
}
