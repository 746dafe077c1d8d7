namespace Agent.Imaging.Postprocessing;

public enum Connectivity
{
    /// <summary>Face neighbours only.</summary>
    Six = 6,
    /// <summary>Face, edge and corner neighbours.</summary>
    TwentySix = 26,
}

/// <summary>
/// One label's voxels as a binary mask inside its bounding box plus a margin, so work scales with the structure, not
/// the scan. The margin ring holds no label voxels and touches everything outside, which keeps hole filling and
/// dilation exact.
/// </summary>
internal sealed class LabelMask(int x0, int y0, int z0, int nx, int ny, int nz, byte[] bits)
{
    public int X0 { get; } = x0;
    public int Y0 { get; } = y0;
    public int Z0 { get; } = z0;
    public int Nx { get; } = nx;
    public int Ny { get; } = ny;
    public int Nz { get; } = nz;
    public byte[] Bits { get; } = bits;

    public long Index(int i, int j, int k) => i + (long)Nx * (j + (long)Ny * k);

    public static LabelMask? Of(LabelVolume v, byte label, int margin)
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
        int nx = x1 - x0 + 1, ny = y1 - y0 + 1, nz = z1 - z0 + 1;
        var mask = new LabelMask(x0, y0, z0, nx, ny, nz, new byte[(long)nx * ny * nz]);
        var bits = mask.Bits;
        for (int k = 0; k < mask.Nz; k++)
            for (int j = 0; j < mask.Ny; j++)
            {
                long s = x0 + (long)sx * ((j + y0) + (long)sy * (k + z0));
                long d = mask.Index(0, j, k);
                for (int i = 0; i < mask.Nx; i++) bits[d + i] = labels[s + i] == label ? (byte)1 : (byte)0;
            }
        return mask;
    }

    public LabelMask WithBits(byte[] bits) => new(X0, Y0, Z0, Nx, Ny, Nz, bits);

    /// <summary>
    /// Writes the mask back: voxels of <paramref name="label"/> outside it become background; voxels inside it that are
    /// background become <paramref name="label"/> (other structures are never overwritten).
    /// </summary>
    public void WriteBack(LabelVolume v, byte label)
    {
        var g = v.Geometry;
        int sx = g.Size.X, sy = g.Size.Y;
        var labels = v.Labels;
        for (int k = 0; k < Nz; k++)
            for (int j = 0; j < Ny; j++)
            {
                long s = X0 + (long)sx * ((j + Y0) + (long)sy * (k + Z0));
                long d = Index(0, j, k);
                for (int i = 0; i < Nx; i++)
                {
                    ref var l = ref labels[s + i];
                    if (Bits[d + i] != 0) { if (l == 0) l = label; }
                    else if (l == label) l = 0;
                }
            }
    }

    /// <summary>Neighbour offsets (di, dj, dk) for a connectivity.</summary>
    public static (int, int, int)[] Neighbours(Connectivity c)
    {
        var list = new List<(int, int, int)>();
        for (int dk = -1; dk <= 1; dk++)
            for (int dj = -1; dj <= 1; dj++)
                for (int di = -1; di <= 1; di++)
                {
                    int n = Math.Abs(di) + Math.Abs(dj) + Math.Abs(dk);
                    if (n == 0 || (c == Connectivity.Six && n > 1)) continue;
                    list.Add((di, dj, dk));
                }
        return [.. list];
    }
}
