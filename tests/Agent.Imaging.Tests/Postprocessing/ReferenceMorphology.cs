using Agent.Imaging.Postprocessing;

namespace Agent.Imaging.Tests.Postprocessing;

/// <summary>
/// Brute-force post-processing on the whole volume, written for obviousness rather than speed: the yardstick the fast
/// implementation must match voxel for voxel. Morphology tests every offset of the ball at every voxel; components and
/// holes use a breadth-first search.
/// </summary>
internal static class ReferenceMorphology
{
    public static void Close(LabelVolume v, byte label, double radius, (double X, double Y, double Z) spacing)
    {
        var bits = Mask(v, label);
        var ball = Ball(radius, spacing);
        var closed = Apply(v, Apply(v, bits, ball, erode: false), ball, erode: true);
        for (int i = 0; i < closed.Length; i++) closed[i] |= bits[i];
        WriteBack(v, label, closed);
    }

    public static void Open(LabelVolume v, byte label, double radius, (double X, double Y, double Z) spacing)
    {
        var ball = Ball(radius, spacing);
        WriteBack(v, label, Apply(v, Apply(v, Mask(v, label), ball, erode: true), ball, erode: false));
    }

    public static void KeepLargest(LabelVolume v, byte label, Connectivity connectivity)
    {
        var bits = Mask(v, label);
        var (ids, sizes) = Components(v, bits, 1, connectivity);
        if (sizes.Count == 0) return;
        int keep = sizes.IndexOf(sizes.Max()) + 1;
        for (int i = 0; i < bits.Length; i++) bits[i] = ids[i] == keep ? (byte)1 : (byte)0;
        WriteBack(v, label, bits);
    }

    public static void RemoveSmall(LabelVolume v, byte label, long minVoxels, Connectivity connectivity)
    {
        var bits = Mask(v, label);
        var (ids, sizes) = Components(v, bits, 1, connectivity);
        for (int i = 0; i < bits.Length; i++) bits[i] = ids[i] > 0 && sizes[ids[i] - 1] >= minVoxels ? (byte)1 : (byte)0;
        WriteBack(v, label, bits);
    }

    /// <summary>Background components that never reach the scan's faces are holes.</summary>
    public static void FillHoles(LabelVolume v, byte label)
    {
        var bits = Mask(v, label);
        var (ids, sizes) = Components(v, bits, 0, Connectivity.Six);
        var open = new bool[sizes.Count + 1];
        var (nx, ny, nz) = v.Geometry.Size;
        for (int k = 0; k < nz; k++)
            for (int j = 0; j < ny; j++)
                for (int i = 0; i < nx; i++)
                    if (i == 0 || j == 0 || k == 0 || i == nx - 1 || j == ny - 1 || k == nz - 1) open[ids[i + nx * (j + ny * k)]] = true;
        for (int i = 0; i < bits.Length; i++) if (bits[i] == 0 && !open[ids[i]]) bits[i] = 1;
        WriteBack(v, label, bits);
    }

    public static List<(int, int, int)> Ball(double radius, (double X, double Y, double Z) s)
    {
        var list = new List<(int, int, int)>();
        int rx = (int)(radius / s.X) + 1, ry = (int)(radius / s.Y) + 1, rz = (int)(radius / s.Z) + 1;
        for (int k = -rz; k <= rz; k++)
            for (int j = -ry; j <= ry; j++)
                for (int i = -rx; i <= rx; i++)
                {
                    double d = i * s.X * (i * s.X) + j * s.Y * (j * s.Y) + k * s.Z * (k * s.Z);
                    if (d <= radius * radius * (1 + 1e-6)) list.Add((i, j, k));
                }
        return list;
    }

    // Outside the scan counts as background for both operations.
    private static byte[] Apply(LabelVolume v, byte[] src, List<(int, int, int)> ball, bool erode)
    {
        var (nx, ny, nz) = v.Geometry.Size;
        var dst = new byte[src.Length];
        for (int k = 0; k < nz; k++)
            for (int j = 0; j < ny; j++)
                for (int i = 0; i < nx; i++)
                {
                    bool hit = erode;
                    foreach (var (di, dj, dk) in ball)
                    {
                        int a = i + di, b = j + dj, c = k + dk;
                        bool set = (uint)a < (uint)nx && (uint)b < (uint)ny && (uint)c < (uint)nz && src[a + nx * (b + ny * c)] != 0;
                        if (erode && !set) { hit = false; break; }
                        if (!erode && set) { hit = true; break; }
                    }
                    dst[i + nx * (j + ny * k)] = hit ? (byte)1 : (byte)0;
                }
        return dst;
    }

    private static (int[] Ids, List<long> Sizes) Components(LabelVolume v, byte[] bits, byte value, Connectivity connectivity)
    {
        var (nx, ny, nz) = v.Geometry.Size;
        var ids = new int[bits.Length];
        var sizes = new List<long>();
        var queue = new Queue<int>();
        for (int start = 0; start < bits.Length; start++)
        {
            if (bits[start] != value || ids[start] != 0) continue;
            int id = sizes.Count + 1;
            long size = 0;
            ids[start] = id;
            queue.Enqueue(start);
            while (queue.Count > 0)
            {
                int p = queue.Dequeue();
                size++;
                int i = p % nx, j = p / nx % ny, k = p / (nx * ny);
                for (int dk = -1; dk <= 1; dk++)
                    for (int dj = -1; dj <= 1; dj++)
                        for (int di = -1; di <= 1; di++)
                        {
                            int n = Math.Abs(di) + Math.Abs(dj) + Math.Abs(dk);
                            if (n == 0 || (connectivity == Connectivity.Six && n > 1)) continue;
                            int a = i + di, b = j + dj, c = k + dk;
                            if ((uint)a >= (uint)nx || (uint)b >= (uint)ny || (uint)c >= (uint)nz) continue;
                            int q = a + nx * (b + ny * c);
                            if (bits[q] != value || ids[q] != 0) continue;
                            ids[q] = id;
                            queue.Enqueue(q);
                        }
            }
            sizes.Add(size);
        }
        return (ids, sizes);
    }

    private static byte[] Mask(LabelVolume v, byte label) => [.. v.Labels.Select(l => l == label ? (byte)1 : (byte)0)];

    private static void WriteBack(LabelVolume v, byte label, byte[] bits)
    {
        for (int i = 0; i < bits.Length; i++)
        {
            ref var l = ref v.Labels[i];
            if (bits[i] != 0) { if (l == 0) l = label; }
            else if (l == label) l = 0;
        }
    }
}
