namespace Agent.Imaging.Postprocessing;

/// <summary>
/// Per-label 3D post-processing: connected components, hole filling, opening and closing. Each works on the label's
/// bounding box and never overwrites another structure.
/// </summary>
public static class Morphology
{
    /// <summary>Keeps only the largest connected component of <paramref name="label"/>.</summary>
    public static void KeepLargestComponent(LabelVolume v, byte label, Connectivity connectivity = Connectivity.TwentySix)
        => FilterComponents(v, label, connectivity, sizes => { var max = sizes.Max(); return sizes.Select(s => s == max).ToArray(); }, firstOnly: true);

    /// <summary>Removes components smaller than <paramref name="minMillilitres"/>.</summary>
    public static void RemoveSmallComponents(LabelVolume v, byte label, double minMillilitres, Connectivity connectivity = Connectivity.TwentySix)
    {
        var voxelMl = LabelMetrics.VoxelMillilitres(v.Geometry);
        FilterComponents(v, label, connectivity, sizes => sizes.Select(s => s * voxelMl >= minMillilitres).ToArray(), firstOnly: false);
    }

    /// <summary>Sizes in voxels of the components of <paramref name="label"/>, largest first.</summary>
    public static long[] ComponentSizes(LabelVolume v, byte label, Connectivity connectivity = Connectivity.TwentySix)
    {
        var mask = LabelMask.Of(v, label, 0);
        if (mask is null) return [];
        var (_, sizes) = Components(mask, connectivity);
        return [.. sizes.OrderDescending()];
    }

    private static void FilterComponents(LabelVolume v, byte label, Connectivity connectivity, Func<long[], bool[]> keep, bool firstOnly)
    {
        var mask = LabelMask.Of(v, label, 0);
        if (mask is null) return;
        var (ids, sizes) = Components(mask, connectivity);
        var kept = keep(sizes);
        if (firstOnly)
        {
            // Ties: keep the first found, so the result does not depend on thread timing.
            bool seen = false;
            for (int c = 0; c < kept.Length; c++) { if (kept[c] && seen) kept[c] = false; seen |= kept[c]; }
        }
        var bits = new byte[mask.Bits.Length];
        for (long i = 0; i < bits.LongLength; i++) bits[i] = ids[i] > 0 && kept[ids[i] - 1] ? (byte)1 : (byte)0;
        mask.WithBits(bits).WriteBack(v, label);
    }

    /// <summary>Component id (from 1) per mask voxel and each component's size; breadth-first with an explicit queue.</summary>
    private static (int[] Ids, long[] Sizes) Components(LabelMask m, Connectivity connectivity)
    {
        var ids = new int[m.Bits.Length];
        var sizes = new List<long>();
        var offsets = LabelMask.Neighbours(connectivity);
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
        return (ids, [.. sizes]);
    }

    /// <summary>
    /// Fills enclosed background inside <paramref name="label"/>: background not 6-connected to the image border
    /// (through non-label voxels) becomes the label. Other structures inside stay as they are.
    /// </summary>
    public static void FillHoles(LabelVolume v, byte label)
    {
        var mask = LabelMask.Of(v, label, 1);
        if (mask is null) return;
        int nx = mask.Nx, ny = mask.Ny, nz = mask.Nz;
        // outside[i] = 1 when reachable from the box faces without crossing the label.
        var outside = new byte[mask.Bits.Length];
        var queue = new Queue<long>();
        for (int k = 0; k < nz; k++)
            for (int j = 0; j < ny; j++)
                for (int i = 0; i < nx; i++)
                {
                    if (i != 0 && j != 0 && k != 0 && i != nx - 1 && j != ny - 1 && k != nz - 1) continue;
                    var p = mask.Index(i, j, k);
                    if (mask.Bits[p] == 0 && outside[p] == 0) { outside[p] = 1; queue.Enqueue(p); }
                }
        var offsets = LabelMask.Neighbours(Connectivity.Six);
        while (queue.Count > 0)
        {
            var p = queue.Dequeue();
            int i = (int)(p % nx), j = (int)(p / nx % ny), k = (int)(p / ((long)nx * ny));
            foreach (var (di, dj, dk) in offsets)
            {
                int a = i + di, b = j + dj, c = k + dk;
                if ((uint)a >= (uint)nx || (uint)b >= (uint)ny || (uint)c >= (uint)nz) continue;
                var q = mask.Index(a, b, c);
                if (mask.Bits[q] != 0 || outside[q] != 0) continue;
                outside[q] = 1;
                queue.Enqueue(q);
            }
        }
        var bits = new byte[outside.Length];
        for (long i = 0; i < bits.LongLength; i++) bits[i] = outside[i] == 0 ? (byte)1 : (byte)0;
        mask.WithBits(bits).WriteBack(v, label);
    }

    /// <summary>Erosion then dilation with a voxel ball of <paramref name="radius"/>: removes spurs and specks thinner than the ball.</summary>
    public static void Open(LabelVolume v, byte label, int radius = 1)
    {
        var mask = LabelMask.Of(v, label, radius + 1);
        if (mask is null) return;
        var ball = Ball(radius);
        mask.WithBits(Dilate(mask, Erode(mask, mask.Bits, ball), ball)).WriteBack(v, label);
    }

    /// <summary>Dilation then erosion: bridges gaps and notches narrower than the ball (e.g. slice-to-slice dropouts of 2D models).</summary>
    public static void Close(LabelVolume v, byte label, int radius = 1)
    {
        var mask = LabelMask.Of(v, label, radius + 1);
        if (mask is null) return;
        var ball = Ball(radius);
        var closed = Erode(mask, Dilate(mask, mask.Bits, ball), ball);
        // At the scan edge erosion sees "outside" as background; closing must never remove what was there.
        for (long i = 0; i < closed.LongLength; i++) closed[i] |= mask.Bits[i];
        mask.WithBits(closed).WriteBack(v, label);
    }

    private static (int, int, int)[] Ball(int radius)
    {
        if (radius is < 1 or > 8) throw new ArgumentOutOfRangeException(nameof(radius), "radius must be 1..8 voxels");
        var list = new List<(int, int, int)>();
        for (int k = -radius; k <= radius; k++)
            for (int j = -radius; j <= radius; j++)
                for (int i = -radius; i <= radius; i++)
                    if (i * i + j * j + k * k <= radius * radius) list.Add((i, j, k));
        return [.. list];
    }

    // Outside the box counts as background: the margin keeps that from cutting structures that are not at the scan edge.
    private static byte[] Erode(LabelMask m, byte[] src, (int, int, int)[] ball) => Apply(m, src, ball, erode: true);

    private static byte[] Dilate(LabelMask m, byte[] src, (int, int, int)[] ball) => Apply(m, src, ball, erode: false);

    private static byte[] Apply(LabelMask m, byte[] src, (int, int, int)[] ball, bool erode)
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
