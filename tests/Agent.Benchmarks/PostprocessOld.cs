using Agent.Imaging;

namespace Agent.Benchmarks;

/// <summary>
/// The post-processing as it was before the distance-transform rewrite (voxel ball tested at every voxel of the box,
/// one full-volume scan per step, breadth-first components with a division per voxel), kept here only to time it
/// against the new code on the same data.
/// </summary>
internal static class PostprocessOld
{
    private sealed record Mask(int X0, int Y0, int Z0, int Nx, int Ny, int Nz, byte[] Bits)
    {
        public long Index(int i, int j, int k) => i + (long)Nx * (j + (long)Ny * k);
    }

    private static Mask? Of(LabelVolume v, byte label, int margin)
    {
        var g = v.Geometry;
        int sx = g.Size.X, sy = g.Size.Y, sz = g.Size.Z;
        int x0 = int.MaxValue, y0 = int.MaxValue, z0 = int.MaxValue, x1 = -1, y1 = -1, z1 = -1;
        var labels = v.Labels;
        long idx = 0;
        for (int k = 0; k < sz; k++)
            for (int j = 0; j < sy; j++)
                for (int i = 0; i < sx; i++, idx++)
                {
                    if (labels[idx] != label) continue;
                    if (i < x0) x0 = i; if (i > x1) x1 = i;
                    if (j < y0) y0 = j; if (j > y1) y1 = j;
                    if (k < z0) z0 = k; if (k > z1) z1 = k;
                }
        if (x1 < 0) return null;
        x0 = Math.Max(0, x0 - margin); y0 = Math.Max(0, y0 - margin); z0 = Math.Max(0, z0 - margin);
        x1 = Math.Min(sx - 1, x1 + margin); y1 = Math.Min(sy - 1, y1 + margin); z1 = Math.Min(sz - 1, z1 + margin);
        var m = new Mask(x0, y0, z0, x1 - x0 + 1, y1 - y0 + 1, z1 - z0 + 1, new byte[(long)(x1 - x0 + 1) * (y1 - y0 + 1) * (z1 - z0 + 1)]);
        for (int k = 0; k < m.Nz; k++)
            for (int j = 0; j < m.Ny; j++)
            {
                long s = x0 + (long)sx * ((j + y0) + (long)sy * (k + z0));
                long d = m.Index(0, j, k);
                for (int i = 0; i < m.Nx; i++) m.Bits[d + i] = labels[s + i] == label ? (byte)1 : (byte)0;
            }
        return m;
    }

    private static void WriteBack(Mask m, byte[] bits, LabelVolume v, byte label)
    {
        int sx = v.Geometry.Size.X, sy = v.Geometry.Size.Y;
        for (int k = 0; k < m.Nz; k++)
            for (int j = 0; j < m.Ny; j++)
            {
                long s = m.X0 + (long)sx * ((j + m.Y0) + (long)sy * (k + m.Z0));
                long d = m.Index(0, j, k);
                for (int i = 0; i < m.Nx; i++)
                {
                    ref var l = ref v.Labels[s + i];
                    if (bits[d + i] != 0) { if (l == 0) l = label; }
                    else if (l == label) l = 0;
                }
            }
    }

    private static (int, int, int)[] Neighbours(bool six)
    {
        var list = new List<(int, int, int)>();
        for (int dk = -1; dk <= 1; dk++)
            for (int dj = -1; dj <= 1; dj++)
                for (int di = -1; di <= 1; di++)
                {
                    int n = Math.Abs(di) + Math.Abs(dj) + Math.Abs(dk);
                    if (n == 0 || (six && n > 1)) continue;
                    list.Add((di, dj, dk));
                }
        return [.. list];
    }

    public static void KeepLargestComponent(LabelVolume v, byte label)
    {
        var m = Of(v, label, 0);
        if (m is null) return;
        var ids = new int[m.Bits.Length];
        var sizes = new List<long>();
        var offsets = Neighbours(six: false);
        var queue = new Queue<long>();
        for (long start = 0; start < m.Bits.LongLength; start++)
        {
            if (m.Bits[start] == 0 || ids[start] != 0) continue;
            int id = sizes.Count + 1;
            long size = 0;
            ids[start] = id;
            queue.Enqueue(start);
            while (queue.Count > 0)
            {
                var p = queue.Dequeue();
                size++;
                int i = (int)(p % m.Nx), j = (int)(p / m.Nx % m.Ny), k = (int)(p / ((long)m.Nx * m.Ny));
                foreach (var (di, dj, dk) in offsets)
                {
                    int a = i + di, b = j + dj, c = k + dk;
                    if ((uint)a >= (uint)m.Nx || (uint)b >= (uint)m.Ny || (uint)c >= (uint)m.Nz) continue;
                    var q = m.Index(a, b, c);
                    if (m.Bits[q] == 0 || ids[q] != 0) continue;
                    ids[q] = id;
                    queue.Enqueue(q);
                }
            }
            sizes.Add(size);
        }
        int keep = sizes.IndexOf(sizes.Max()) + 1;
        var bits = new byte[m.Bits.Length];
        for (long i = 0; i < bits.LongLength; i++) bits[i] = ids[i] == keep ? (byte)1 : (byte)0;
        WriteBack(m, bits, v, label);
    }

    public static void FillHoles(LabelVolume v, byte label)
    {
        var m = Of(v, label, 1);
        if (m is null) return;
        int nx = m.Nx, ny = m.Ny, nz = m.Nz;
        var outside = new byte[m.Bits.Length];
        var queue = new Queue<long>();
        for (int k = 0; k < nz; k++)
            for (int j = 0; j < ny; j++)
                for (int i = 0; i < nx; i++)
                {
                    if (i != 0 && j != 0 && k != 0 && i != nx - 1 && j != ny - 1 && k != nz - 1) continue;
                    var p = m.Index(i, j, k);
                    if (m.Bits[p] == 0 && outside[p] == 0) { outside[p] = 1; queue.Enqueue(p); }
                }
        var offsets = Neighbours(six: true);
        while (queue.Count > 0)
        {
            var p = queue.Dequeue();
            int i = (int)(p % nx), j = (int)(p / nx % ny), k = (int)(p / ((long)nx * ny));
            foreach (var (di, dj, dk) in offsets)
            {
                int a = i + di, b = j + dj, c = k + dk;
                if ((uint)a >= (uint)nx || (uint)b >= (uint)ny || (uint)c >= (uint)nz) continue;
                var q = m.Index(a, b, c);
                if (m.Bits[q] != 0 || outside[q] != 0) continue;
                outside[q] = 1;
                queue.Enqueue(q);
            }
        }
        var bits = new byte[outside.Length];
        for (long i = 0; i < bits.LongLength; i++) bits[i] = outside[i] == 0 ? (byte)1 : (byte)0;
        WriteBack(m, bits, v, label);
    }

    /// <summary>Closing with a voxel ball of <paramref name="radius"/> (the old recommendation: millimetres over the finest spacing).</summary>
    public static void Close(LabelVolume v, byte label, int radius)
    {
        var m = Of(v, label, radius + 1);
        if (m is null) return;
        var list = new List<(int, int, int)>();
        for (int k = -radius; k <= radius; k++)
            for (int j = -radius; j <= radius; j++)
                for (int i = -radius; i <= radius; i++)
                    if (i * i + j * j + k * k <= radius * radius) list.Add((i, j, k));
        var ball = list.ToArray();
        var closed = Apply(m, Apply(m, m.Bits, ball, erode: false), ball, erode: true);
        for (long i = 0; i < closed.LongLength; i++) closed[i] |= m.Bits[i];
        WriteBack(m, closed, v, label);
    }

    private static byte[] Apply(Mask m, byte[] src, (int, int, int)[] ball, bool erode)
    {
        var dst = new byte[src.Length];
        int nx = m.Nx, ny = m.Ny, nz = m.Nz;
        Parallel.For(0, nz, k =>
        {
            for (int j = 0; j < ny; j++)
                for (int i = 0; i < nx; i++)
                {
                    bool hit = erode;
                    foreach (var (di, dj, dk) in ball)
                    {
                        int a = i + di, b = j + dj, c = k + dk;
                        bool set = (uint)a < (uint)nx && (uint)b < (uint)ny && (uint)c < (uint)nz && src[m.Index(a, b, c)] != 0;
                        if (erode && !set) { hit = false; break; }
                        if (!erode && set) { hit = true; break; }
                    }
                    dst[m.Index(i, j, k)] = hit ? (byte)1 : (byte)0;
                }
        });
        return dst;
    }
}
