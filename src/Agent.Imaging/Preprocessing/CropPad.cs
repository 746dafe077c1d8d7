namespace Agent.Imaging.Preprocessing;

/// <summary>A box of voxel indices; <see cref="Start"/> may be negative or the box may exceed the grid (that part is padding).</summary>
public readonly record struct VoxelRegion((int X, int Y, int Z) Start, (int X, int Y, int Z) Size);

/// <summary>Cropping and padding that keep the patient-space geometry exact (the origin moves with the region).</summary>
public static class CropPad
{
    /// <summary>Copies a region into a new grid; voxels outside the source get <paramref name="fill"/>.</summary>
    public static Volume Extract(Volume v, VoxelRegion region, float fill = 0f)
    {
        var result = new Volume(RegionGeometry(v.Geometry, region));
        if (fill != 0) Array.Fill(result.Voxels, fill);
        CopyRows(v.Voxels, result.Voxels, v.Geometry, region);
        return result;
    }

    public static LabelVolume Extract(LabelVolume v, VoxelRegion region)
    {
        var result = new LabelVolume(RegionGeometry(v.Geometry, region));
        CopyRows(v.Labels, result.Labels, v.Geometry, region);
        return result;
    }

    /// <summary>
    /// The region that pads each axis symmetrically to a multiple of <paramref name="multiple"/> and to at least
    /// <paramref name="minimum"/> (a patch size). Undo with <see cref="Extract(Volume, VoxelRegion, float)"/> of
    /// <see cref="Inverse"/>.
    /// </summary>
    public static VoxelRegion PadToMultiple(ImageGeometry g, (int X, int Y, int Z) multiple, (int X, int Y, int Z) minimum = default)
    {
        static (int Start, int Size) Axis(int n, int m, int min)
        {
            if (m < 1) throw new ArgumentOutOfRangeException(nameof(multiple), "multiple must be at least 1");
            int target = Math.Max(n, min);
            target = (target + m - 1) / m * m;
            return (-(target - n) / 2, target);
        }
        var (x0, nx) = Axis(g.Size.X, multiple.X, minimum.X);
        var (y0, ny) = Axis(g.Size.Y, multiple.Y, minimum.Y);
        var (z0, nz) = Axis(g.Size.Z, multiple.Z, minimum.Z);
        return new VoxelRegion((x0, y0, z0), (nx, ny, nz));
    }

    /// <summary>The region of the padded/cropped grid that holds the original grid of size <paramref name="originalSize"/>.</summary>
    public static VoxelRegion Inverse(VoxelRegion applied, (int X, int Y, int Z) originalSize)
        => new((-applied.Start.X, -applied.Start.Y, -applied.Start.Z), originalSize);

    /// <summary>The smallest box holding every voxel above <paramref name="threshold"/>, grown by <paramref name="margin"/>; null when none is.</summary>
    public static VoxelRegion? BoundingBox(Volume v, float threshold, int margin = 0)
        => BoundingBox(v.Geometry, i => v.Voxels[i] > threshold, margin);

    public static VoxelRegion? BoundingBox(LabelVolume v, int margin = 0)
        => BoundingBox(v.Geometry, i => v.Labels[i] != 0, margin);

    private static VoxelRegion? BoundingBox(ImageGeometry g, Func<long, bool> inside, int margin)
    {
        int nx = g.Size.X, ny = g.Size.Y, nz = g.Size.Z;
        int x0 = int.MaxValue, y0 = int.MaxValue, z0 = int.MaxValue, x1 = -1, y1 = -1, z1 = -1;
        long idx = 0;
        for (int k = 0; k < nz; k++)
            for (int j = 0; j < ny; j++)
                for (int i = 0; i < nx; i++, idx++)
                {
                    if (!inside(idx)) continue;
                    x0 = Math.Min(x0, i); x1 = Math.Max(x1, i);
                    y0 = Math.Min(y0, j); y1 = Math.Max(y1, j);
                    z0 = Math.Min(z0, k); z1 = Math.Max(z1, k);
                }
        if (x1 < 0) return null;
        x0 = Math.Max(0, x0 - margin); y0 = Math.Max(0, y0 - margin); z0 = Math.Max(0, z0 - margin);
        x1 = Math.Min(nx - 1, x1 + margin); y1 = Math.Min(ny - 1, y1 + margin); z1 = Math.Min(nz - 1, z1 + margin);
        return new VoxelRegion((x0, y0, z0), (x1 - x0 + 1, y1 - y0 + 1, z1 - z0 + 1));
    }

    private static ImageGeometry RegionGeometry(ImageGeometry g, VoxelRegion r)
    {
        if (r.Size.X < 1 || r.Size.Y < 1 || r.Size.Z < 1) throw new ArgumentOutOfRangeException(nameof(r), "region size must be positive");
        return g with { Size = r.Size, Origin = g.IndexToPatient(r.Start.X, r.Start.Y, r.Start.Z), Direction = (double[])g.Direction.Clone() };
    }

    private static void CopyRows<T>(T[] src, T[] dst, ImageGeometry sg, VoxelRegion r)
    {
        int sx = sg.Size.X, sy = sg.Size.Y, sz = sg.Size.Z;
        // The overlap of the region with the source, in source indices.
        int i0 = Math.Max(0, r.Start.X), i1 = Math.Min(sx, r.Start.X + r.Size.X);
        int j0 = Math.Max(0, r.Start.Y), j1 = Math.Min(sy, r.Start.Y + r.Size.Y);
        int k0 = Math.Max(0, r.Start.Z), k1 = Math.Min(sz, r.Start.Z + r.Size.Z);
        if (i0 >= i1 || j0 >= j1 || k0 >= k1) return;
        int len = i1 - i0;
        Parallel.For(k0, k1, k =>
        {
            for (int j = j0; j < j1; j++)
            {
                long s = i0 + (long)sx * (j + (long)sy * k);
                long d = (i0 - r.Start.X) + (long)r.Size.X * ((j - r.Start.Y) + (long)r.Size.Y * (k - r.Start.Z));
                Array.Copy(src, s, dst, d, len);
            }
        });
    }
}
