using Agent.Imaging;

namespace Agent.Inference.SlidingWindow;

/// <summary>
/// Trilinear interpolation through patient coordinates (any spacing, origin and orientation on either side); target
/// voxels outside the source take the nearest edge value, which for probabilities continues the border prediction.
/// </summary>
public sealed class TrilinearResampler : IVolumeResampler
{
    public static TrilinearResampler Instance { get; } = new();

    public Volume Resample(Volume source, ImageGeometry target)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var src = source.Geometry;
        var result = new Volume(target);
        // Source continuous index is affine in the target index: s = o + i*a + j*b + k*c.
        var o = Index(src, target.IndexToPatient(0, 0, 0));
        var a = Minus(Index(src, target.IndexToPatient(1, 0, 0)), o);
        var b = Minus(Index(src, target.IndexToPatient(0, 1, 0)), o);
        var c = Minus(Index(src, target.IndexToPatient(0, 0, 1)), o);
        var (nx, ny, nz) = src.Size;
        var v = source.Voxels;
        var dst = result.Voxels;
        Parallel.For(0, target.Size.Z, k =>
        {
            long n = (long)k * target.Size.X * target.Size.Y;
            for (int j = 0; j < target.Size.Y; j++)
            {
                for (int i = 0; i < target.Size.X; i++, n++)
                {
                    double x = Math.Clamp(o.X + i * a.X + j * b.X + k * c.X, 0, nx - 1);
                    double y = Math.Clamp(o.Y + i * a.Y + j * b.Y + k * c.Y, 0, ny - 1);
                    double z = Math.Clamp(o.Z + i * a.Z + j * b.Z + k * c.Z, 0, nz - 1);
                    int x0 = Math.Min((int)x, Math.Max(nx - 2, 0)), y0 = Math.Min((int)y, Math.Max(ny - 2, 0)), z0 = Math.Min((int)z, Math.Max(nz - 2, 0));
                    int x1 = Math.Min(x0 + 1, nx - 1), y1 = Math.Min(y0 + 1, ny - 1), z1 = Math.Min(z0 + 1, nz - 1);
                    double fx = x - x0, fy = y - y0, fz = z - z0;
                    double c00 = Lerp(v[At(x0, y0, z0)], v[At(x1, y0, z0)], fx);
                    double c10 = Lerp(v[At(x0, y1, z0)], v[At(x1, y1, z0)], fx);
                    double c01 = Lerp(v[At(x0, y0, z1)], v[At(x1, y0, z1)], fx);
                    double c11 = Lerp(v[At(x0, y1, z1)], v[At(x1, y1, z1)], fx);
                    dst[n] = (float)Lerp(Lerp(c00, c10, fy), Lerp(c01, c11, fy), fz);
                }
            }
        });
        return result;

        long At(int x, int y, int z) => x + (long)nx * (y + (long)ny * z);
    }

    private static double Lerp(double p, double q, double f) => p + (q - p) * f;

    private static (double X, double Y, double Z) Index(ImageGeometry g, (double X, double Y, double Z) p)
    {
        var (i, j, k) = g.PatientToIndex(p.X, p.Y, p.Z);
        return (i, j, k);
    }

    private static (double X, double Y, double Z) Minus((double X, double Y, double Z) p, (double X, double Y, double Z) q) =>
        (p.X - q.X, p.Y - q.Y, p.Z - q.Z);
}
