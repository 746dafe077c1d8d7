namespace Agent.Imaging.Preprocessing;

/// <summary>
/// An exact voxel reordering: output axis a is input axis <see cref="Permutation"/>[a], reversed when
/// <see cref="Flip"/>[a]. No interpolation, so applying it and then <see cref="Inverse"/> gives back the same voxels.
/// </summary>
public sealed record AxisReorientation(int[] Permutation, bool[] Flip)
{
    public bool IsIdentity => Permutation is [0, 1, 2] && !Flip.Any(f => f);

    public AxisReorientation Inverse()
    {
        var perm = new int[3];
        var flip = new bool[3];
        for (int a = 0; a < 3; a++) { perm[Permutation[a]] = a; flip[Permutation[a]] = Flip[a]; }
        return new AxisReorientation(perm, flip);
    }
}

/// <summary>Reorientation to the canonical LPS-aligned axis order (i along +x/left, j along +y/posterior, k along +z/superior).</summary>
public static class Reorientation
{
    /// <summary>
    /// The permutation/flips that make the axes run along +x, +y, +z; null when the direction is oblique by more than
    /// <paramref name="maxAngleDegrees"/> per axis (such volumes need resampling, not reordering).
    /// </summary>
    public static AxisReorientation? ToCanonical(ImageGeometry g, double maxAngleDegrees = 30)
    {
        var cos = Math.Cos(maxAngleDegrees * Math.PI / 180);
        var perm = new int[] { -1, -1, -1 };
        var flip = new bool[3];
        for (int c = 0; c < 3; c++)
        {
            int best = 0;
            for (int r = 1; r < 3; r++) if (Math.Abs(g.Direction[r * 3 + c]) > Math.Abs(g.Direction[best * 3 + c])) best = r;
            var v = g.Direction[best * 3 + c];
            if (Math.Abs(v) < cos || perm[best] >= 0) return null;
            perm[best] = c;
            flip[best] = v < 0;
        }
        return new AxisReorientation(perm, flip);
    }

    public static ImageGeometry Apply(ImageGeometry g, AxisReorientation r)
    {
        int[] n = [g.Size.X, g.Size.Y, g.Size.Z];
        double[] s = [g.Spacing.X, g.Spacing.Y, g.Spacing.Z];
        var origin = Vec3.From(g.Origin);
        var dir = new double[9];
        for (int a = 0; a < 3; a++)
        {
            int c = r.Permutation[a];
            double sign = r.Flip[a] ? -1 : 1;
            var col = new Vec3(g.Direction[c], g.Direction[3 + c], g.Direction[6 + c]);
            if (r.Flip[a]) origin += ((n[c] - 1) * s[c]) * col;
            dir[a] = sign * col.X; dir[3 + a] = sign * col.Y; dir[6 + a] = sign * col.Z;
        }
        int p0 = r.Permutation[0], p1 = r.Permutation[1], p2 = r.Permutation[2];
        return new ImageGeometry((n[p0], n[p1], n[p2]), (s[p0], s[p1], s[p2]), origin, dir);
    }

    public static Volume Apply(Volume v, AxisReorientation r)
    {
        var g = Apply(v.Geometry, r);
        var result = new Volume(g);
        Reorder(v.Voxels, result.Voxels, v.Geometry, g, r);
        return result;
    }

    public static LabelVolume Apply(LabelVolume v, AxisReorientation r)
    {
        var g = Apply(v.Geometry, r);
        var result = new LabelVolume(g);
        Reorder(v.Labels, result.Labels, v.Geometry, g, r);
        return result;
    }

    private static void Reorder<T>(T[] src, T[] dst, ImageGeometry sg, ImageGeometry dg, AxisReorientation r)
    {
        int[] n = [sg.Size.X, sg.Size.Y, sg.Size.Z];
        long[] stride = [1, n[0], (long)n[0] * n[1]];
        // For each output axis: where index 0 starts in the source and how far one step moves.
        var start = new long[3];
        var step = new long[3];
        for (int a = 0; a < 3; a++)
        {
            int c = r.Permutation[a];
            step[a] = r.Flip[a] ? -stride[c] : stride[c];
            start[a] = r.Flip[a] ? (n[c] - 1) * stride[c] : 0;
        }
        int ox = dg.Size.X, oy = dg.Size.Y;
        Parallel.For(0, dg.Size.Z, k =>
        {
            long baseK = start[0] + start[1] + start[2] + k * step[2];
            long outK = (long)k * ox * oy;
            for (int j = 0; j < oy; j++)
            {
                long s = baseK + j * step[1];
                long o = outK + (long)j * ox;
                for (int i = 0; i < ox; i++, s += step[0]) dst[o + i] = src[s];
            }
        });
    }
}
