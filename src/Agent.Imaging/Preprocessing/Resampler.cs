namespace Agent.Imaging.Preprocessing;

public enum Interpolation { Nearest, Linear }

/// <summary>
/// Resampling between grids in patient space: each target voxel centre is mapped to the source grid and sampled.
/// One output slice per parallel iteration; no intermediate volume beyond the output.
/// </summary>
public static class Resampler
{
    /// <summary>
    /// The grid with <paramref name="spacing"/> that covers the same extent (outer voxel edges) with the same direction.
    /// Sizes are rounded, so the far edge may move by up to half a new voxel.
    /// </summary>
    public static ImageGeometry WithSpacing(ImageGeometry g, (double X, double Y, double Z) spacing)
    {
        if (!(spacing.X > 0 && spacing.Y > 0 && spacing.Z > 0)) throw new ArgumentOutOfRangeException(nameof(spacing), "spacing must be positive");
        static int N(int n, double s, double t) => Math.Max(1, (int)Math.Round(n * s / t));
        var size = (N(g.Size.X, g.Spacing.X, spacing.X), N(g.Size.Y, g.Spacing.Y, spacing.Y), N(g.Size.Z, g.Spacing.Z, spacing.Z));
        // Keep the first voxel's outer edge where it was: the new first centre moves by half the spacing difference.
        var o = g.IndexToPatient(
            0.5 * (spacing.X / g.Spacing.X - 1),
            0.5 * (spacing.Y / g.Spacing.Y - 1),
            0.5 * (spacing.Z / g.Spacing.Z - 1));
        return new ImageGeometry(size, spacing, o, (double[])g.Direction.Clone());
    }

    public static Volume Resample(Volume source, ImageGeometry target, Interpolation interpolation = Interpolation.Linear, float outside = 0f)
    {
        var result = new Volume(target);
        var src = source.Voxels;
        var sg = source.Geometry;
        int sx = sg.Size.X, sy = sg.Size.Y, sz = sg.Size.Z;
        var map = IndexMap.Between(target, sg);
        Parallel.For(0, target.Size.Z, k =>
        {
            long outBase = (long)k * target.Size.X * target.Size.Y;
            for (int j = 0; j < target.Size.Y; j++)
            {
                var (x, y, z) = map.At(0, j, k);
                for (int i = 0; i < target.Size.X; i++, x += map.Di.X, y += map.Di.Y, z += map.Di.Z)
                {
                    result.Voxels[outBase + i + (long)target.Size.X * j] = interpolation == Interpolation.Nearest
                        ? Nearest(src, sx, sy, sz, x, y, z, outside)
                        : Trilinear(src, sx, sy, sz, x, y, z, outside);
                }
            }
        });
        return result;
    }

    /// <summary>Nearest-neighbour resampling of a label map; outside the source is background.</summary>
    public static LabelVolume Resample(LabelVolume source, ImageGeometry target)
    {
        var result = new LabelVolume(target);
        var sg = source.Geometry;
        int sx = sg.Size.X, sy = sg.Size.Y, sz = sg.Size.Z;
        var map = IndexMap.Between(target, sg);
        Parallel.For(0, target.Size.Z, k =>
        {
            long outBase = (long)k * target.Size.X * target.Size.Y;
            for (int j = 0; j < target.Size.Y; j++)
            {
                var (x, y, z) = map.At(0, j, k);
                for (int i = 0; i < target.Size.X; i++, x += map.Di.X, y += map.Di.Y, z += map.Di.Z)
                {
                    int a = (int)Math.Round(x), b = (int)Math.Round(y), c = (int)Math.Round(z);
                    if ((uint)a < (uint)sx && (uint)b < (uint)sy && (uint)c < (uint)sz)
                        result.Labels[outBase + i + (long)target.Size.X * j] = source.Labels[a + (long)sx * (b + (long)sy * c)];
                }
            }
        });
        return result;
    }

    /// <summary>
    /// Label-preserving resampling: each label's indicator is interpolated trilinearly and the label with the highest
    /// weight wins. Smoother than nearest when upsampling thick slices, and no per-class volume is ever allocated.
    /// </summary>
    public static LabelVolume ResampleSmooth(LabelVolume source, ImageGeometry target)
    {
        var result = new LabelVolume(target);
        var sg = source.Geometry;
        int sx = sg.Size.X, sy = sg.Size.Y, sz = sg.Size.Z;
        var map = IndexMap.Between(target, sg);
        var src = source.Labels;
        Parallel.For(0, target.Size.Z, k =>
        {
            Span<byte> labels = stackalloc byte[8];
            Span<float> weights = stackalloc float[8];
            long outBase = (long)k * target.Size.X * target.Size.Y;
            for (int j = 0; j < target.Size.Y; j++)
            {
                var (x, y, z) = map.At(0, j, k);
                for (int i = 0; i < target.Size.X; i++, x += map.Di.X, y += map.Di.Y, z += map.Di.Z)
                {
                    if (x < -0.5 || y < -0.5 || z < -0.5 || x > sx - 0.5 || y > sy - 0.5 || z > sz - 0.5) continue;
                    Corners(x, sx, out int x0, out int x1, out float fx);
                    Corners(y, sy, out int y0, out int y1, out float fy);
                    Corners(z, sz, out int z0, out int z1, out float fz);
                    int used = 0;
                    for (int c = 0; c < 8; c++)
                    {
                        int xi = (c & 1) == 0 ? x0 : x1, yi = (c & 2) == 0 ? y0 : y1, zi = (c & 4) == 0 ? z0 : z1;
                        float w = ((c & 1) == 0 ? 1 - fx : fx) * ((c & 2) == 0 ? 1 - fy : fy) * ((c & 4) == 0 ? 1 - fz : fz);
                        var label = src[xi + (long)sx * (yi + (long)sy * zi)];
                        int slot = labels[..used].IndexOf(label);
                        if (slot < 0) { slot = used++; labels[slot] = label; weights[slot] = 0; }
                        weights[slot] += w;
                    }
                    int best = 0;
                    for (int s = 1; s < used; s++) if (weights[s] > weights[best]) best = s;
                    result.Labels[outBase + i + (long)target.Size.X * j] = labels[best];
                }
            }
        });
        return result;
    }

    private static void Corners(double x, int n, out int lo, out int hi, out float f)
    {
        x = Math.Clamp(x, 0, n - 1);
        // Grids that share voxel centres must copy exactly, not pick up rounding noise from the index map.
        var r = Math.Round(x);
        if (Math.Abs(x - r) < 1e-6) x = r;
        lo = (int)x;
        hi = Math.Min(lo + 1, n - 1);
        f = (float)(x - lo);
    }

    private static float Nearest(float[] src, int sx, int sy, int sz, double x, double y, double z, float outside)
    {
        int a = (int)Math.Round(x), b = (int)Math.Round(y), c = (int)Math.Round(z);
        return (uint)a < (uint)sx && (uint)b < (uint)sy && (uint)c < (uint)sz ? src[a + (long)sx * (b + (long)sy * c)] : outside;
    }

    // Within half a voxel of the edge the edge value extends (like the voxel's own footprint); beyond it, outside.
    private static float Trilinear(float[] src, int sx, int sy, int sz, double x, double y, double z, float outside)
    {
        if (x < -0.5 || y < -0.5 || z < -0.5 || x > sx - 0.5 || y > sy - 0.5 || z > sz - 0.5) return outside;
        Corners(x, sx, out int x0, out int x1, out float fx);
        Corners(y, sy, out int y0, out int y1, out float fy);
        Corners(z, sz, out int z0, out int z1, out float fz);
        long r00 = (long)sx * (y0 + (long)sy * z0), r10 = (long)sx * (y1 + (long)sy * z0);
        long r01 = (long)sx * (y0 + (long)sy * z1), r11 = (long)sx * (y1 + (long)sy * z1);
        float c00 = src[r00 + x0] + fx * (src[r00 + x1] - src[r00 + x0]);
        float c10 = src[r10 + x0] + fx * (src[r10 + x1] - src[r10 + x0]);
        float c01 = src[r01 + x0] + fx * (src[r01 + x1] - src[r01 + x0]);
        float c11 = src[r11 + x0] + fx * (src[r11 + x1] - src[r11 + x0]);
        float c0 = c00 + fy * (c10 - c00), c1 = c01 + fy * (c11 - c01);
        return c0 + fz * (c1 - c0);
    }
}

/// <summary>Affine map from target voxel indices to source continuous indices (both grids orthonormal).</summary>
internal readonly record struct IndexMap(Vec3 Origin, Vec3 Di, Vec3 Dj, Vec3 Dk)
{
    public static IndexMap Between(ImageGeometry target, ImageGeometry source)
    {
        var o = Vec3.From(source.PatientToIndex(target.Origin.X, target.Origin.Y, target.Origin.Z));
        Vec3 Step(int axis)
        {
            var p = Vec3.From(target.IndexToPatient(axis == 0 ? 1 : 0, axis == 1 ? 1 : 0, axis == 2 ? 1 : 0));
            return Vec3.From(source.PatientToIndex(p.X, p.Y, p.Z)) - o;
        }
        return new IndexMap(o, Step(0), Step(1), Step(2));
    }

    public (double X, double Y, double Z) At(int i, int j, int k) => Origin + (double)i * Di + (double)j * Dj + (double)k * Dk;
}
