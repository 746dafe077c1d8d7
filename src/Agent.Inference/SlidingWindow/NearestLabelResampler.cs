using Agent.Imaging;

namespace Agent.Inference.SlidingWindow;

/// <summary>Nearest-neighbour resampling of a label map through patient coordinates (labels are never blended).</summary>
public static class NearestLabelResampler
{
    public static LabelVolume Resample(LabelVolume source, ImageGeometry target)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var src = source.Geometry;
        var result = new LabelVolume(target);
        var o = src.PatientToIndex(target.IndexToPatient(0, 0, 0));
        var a = Minus(src.PatientToIndex(target.IndexToPatient(1, 0, 0)), o);
        var b = Minus(src.PatientToIndex(target.IndexToPatient(0, 1, 0)), o);
        var c = Minus(src.PatientToIndex(target.IndexToPatient(0, 0, 1)), o);
        var (nx, ny, nz) = src.Size;
        var s = source.Labels;
        var d = result.Labels;
        Parallel.For(0, target.Size.Z, k =>
        {
            long n = (long)k * target.Size.X * target.Size.Y;
            for (int j = 0; j < target.Size.Y; j++)
            {
                for (int i = 0; i < target.Size.X; i++, n++)
                {
                    int x = (int)Math.Round(o.I + i * a.I + j * b.I + k * c.I);
                    int y = (int)Math.Round(o.J + i * a.J + j * b.J + k * c.J);
                    int z = (int)Math.Round(o.K + i * a.K + j * b.K + k * c.K);
                    if ((uint)x < (uint)nx && (uint)y < (uint)ny && (uint)z < (uint)nz) d[n] = s[x + (long)nx * (y + (long)ny * z)];
                }
            }
        });
        return result;
    }

    private static (double I, double J, double K) PatientToIndex(this ImageGeometry g, (double X, double Y, double Z) p) =>
        g.PatientToIndex(p.X, p.Y, p.Z);

    private static (double I, double J, double K) Minus((double I, double J, double K) p, (double I, double J, double K) q) =>
        (p.I - q.I, p.J - q.J, p.K - q.K);
}
