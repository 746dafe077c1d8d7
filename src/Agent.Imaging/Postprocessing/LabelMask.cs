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

    /// <summary>The label's mask with <paramref name="margin"/> voxels of margin on every side (clipped at the scan edge).</summary>
    public static LabelMask? Of(LabelVolume v, byte label, int margin)
    {
        var box = LabelBoxes.Find(v)[label];
        return box is null ? null : Of(v, label, box.Value, (margin, margin, margin));
    }

    /// <summary>
    /// The label's mask in <paramref name="box"/> (any box holding every voxel of the label) widened by a margin per
    /// axis and clipped at the scan edge.
    /// </summary>
    public static LabelMask Of(LabelVolume v, byte label, LabelBox box, (int X, int Y, int Z) margin)
    {
        var g = v.Geometry;
        int sx = g.Size.X, sy = g.Size.Y, sz = g.Size.Z;
        int x0 = Math.Max(0, box.X0 - margin.X), y0 = Math.Max(0, box.Y0 - margin.Y), z0 = Math.Max(0, box.Z0 - margin.Z);
        int x1 = Math.Min(sx - 1, box.X1 + margin.X), y1 = Math.Min(sy - 1, box.Y1 + margin.Y), z1 = Math.Min(sz - 1, box.Z1 + margin.Z);
        int nx = x1 - x0 + 1, ny = y1 - y0 + 1, nz = z1 - z0 + 1;
        var mask = new LabelMask(x0, y0, z0, nx, ny, nz, new byte[(long)nx * ny * nz]);
        var bits = mask.Bits;
        var labels = v.Labels;
        Parallel.For(0, nz, k =>
        {
            for (int j = 0; j < ny; j++)
            {
                var src = LabelBoxes.Row(labels, x0 + (long)sx * ((j + y0) + (long)sy * (k + z0)), nx);
                var dst = LabelBoxes.Row(bits, mask.Index(0, j, k), nx);
                for (int i = 0; i < nx; i++) dst[i] = src[i] == label ? (byte)1 : (byte)0;
            }
        });
        return mask;
    }

    /// <summary>1 where the voxel belongs to another structure (which no step may overwrite).</summary>
    public byte[] Others(LabelVolume v, byte label)
    {
        var g = v.Geometry;
        int sx = g.Size.X, sy = g.Size.Y;
        var others = new byte[Bits.LongLength];
        var labels = v.Labels;
        Parallel.For(0, Nz, k =>
        {
            for (int j = 0; j < Ny; j++)
            {
                var src = LabelBoxes.Row(labels, X0 + (long)sx * ((j + Y0) + (long)sy * (k + Z0)), Nx);
                var dst = LabelBoxes.Row(others, Index(0, j, k), Nx);
                for (int i = 0; i < Nx; i++) dst[i] = src[i] != 0 && src[i] != label ? (byte)1 : (byte)0;
            }
        });
        return others;
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
        var bits = Bits;
        Parallel.For(0, Nz, k =>
        {
            for (int j = 0; j < Ny; j++)
            {
                long s = X0 + (long)sx * ((j + Y0) + (long)sy * (k + Z0));
                long d = Index(0, j, k);
                for (int i = 0; i < Nx; i++)
                {
                    ref var l = ref labels[s + i];
                    if (bits[d + i] != 0) { if (l == 0) l = label; }
                    else if (l == label) l = 0;
                }
            }
        });
    }
}
