namespace Agent.Imaging.Postprocessing;

/// <summary>
/// Per-label 3D post-processing: connected components, hole filling, opening and closing. Each works on the label's
/// bounding box and never overwrites another structure.
/// </summary>
public static class Morphology
{
    /// <summary>Keeps only the largest connected component of <paramref name="label"/>.</summary>
    public static void KeepLargestComponent(LabelVolume v, byte label, Connectivity connectivity = Connectivity.TwentySix)
        => OnMask(v, label, 0, m => KeepLargest(m.Bits, m, connectivity));

    /// <summary>Removes components smaller than <paramref name="minMillilitres"/>.</summary>
    public static void RemoveSmallComponents(LabelVolume v, byte label, double minMillilitres, Connectivity connectivity = Connectivity.TwentySix)
        => OnMask(v, label, 0, m => RemoveSmall(m.Bits, m, LabelMetrics.VoxelMillilitres(v.Geometry), minMillilitres, connectivity));

    /// <summary>Sizes in voxels of the components of <paramref name="label"/>, largest first.</summary>
    public static long[] ComponentSizes(LabelVolume v, byte label, Connectivity connectivity = Connectivity.TwentySix)
    {
        var mask = LabelMask.Of(v, label, 0);
        if (mask is null) return [];
        var components = new RunComponents(mask.Bits, mask.Nx, mask.Ny, mask.Nz, ones: true, connectivity);
        return [.. components.Sizes.OrderDescending()];
    }

    /// <summary>
    /// Fills enclosed background inside <paramref name="label"/>: background not 6-connected to the image border
    /// (through non-label voxels) becomes the label. Other structures inside stay as they are.
    /// </summary>
    public static void FillHoles(LabelVolume v, byte label) => OnMask(v, label, 1, m => Fill(m.Bits, m));

    /// <summary>Erosion then dilation with a voxel ball of <paramref name="radius"/>: removes spurs and specks thinner than the ball.</summary>
    public static void Open(LabelVolume v, byte label, int radius = 1)
    {
        var ball = Ball.InVoxels(radius);
        OnMask(v, label, ball.Margin, m => Open(m.Bits, m, ball));
    }

    /// <summary>Dilation then erosion: bridges gaps and notches narrower than the ball (e.g. slice-to-slice dropouts of 2D models).</summary>
    public static void Close(LabelVolume v, byte label, int radius = 1)
    {
        var ball = Ball.InVoxels(radius);
        OnMask(v, label, ball.Margin, m => Close(m.Bits, m, ball));
    }

    /// <summary>Opening with a ball of <paramref name="millimetres"/> radius in patient space (every axis at its own spacing).</summary>
    public static void OpenMillimetres(LabelVolume v, byte label, double millimetres)
    {
        var ball = Ball.InMillimetres(millimetres, v.Geometry.Spacing);
        OnMask(v, label, ball.Margin, m => Open(m.Bits, m, ball));
    }

    /// <summary>Closing with a ball of <paramref name="millimetres"/> radius in patient space (every axis at its own spacing).</summary>
    public static void CloseMillimetres(LabelVolume v, byte label, double millimetres)
    {
        var ball = Ball.InMillimetres(millimetres, v.Geometry.Spacing);
        OnMask(v, label, ball.Margin, m => Close(m.Bits, m, ball));
    }

    private static void OnMask(LabelVolume v, byte label, (int, int, int) margin, Func<LabelMask, byte[]> step)
    {
        var box = LabelBoxes.Find(v)[label];
        if (box is null) return;
        var mask = LabelMask.Of(v, label, box.Value, margin);
        mask.WithBits(step(mask)).WriteBack(v, label);
    }

    private static void OnMask(LabelVolume v, byte label, int margin, Func<LabelMask, byte[]> step) => OnMask(v, label, (margin, margin, margin), step);

    internal static byte[] KeepLargest(byte[] bits, LabelMask m, Connectivity connectivity)
    {
        var components = new RunComponents(bits, m.Nx, m.Ny, m.Nz, ones: true, connectivity);
        if (components.Sizes.Length <= 1) return bits;
        // Ties: keep the first found in scan order, so the result does not depend on thread timing.
        int keep = 0;
        for (int c = 1; c < components.Sizes.Length; c++) if (components.Sizes[c] > components.Sizes[keep]) keep = c;
        components.Paint(bits, c => c != keep, 0);
        return bits;
    }

    internal static byte[] RemoveSmall(byte[] bits, LabelMask m, double voxelMillilitres, double minMillilitres, Connectivity connectivity)
    {
        var components = new RunComponents(bits, m.Nx, m.Ny, m.Nz, ones: true, connectivity);
        components.Paint(bits, c => components.Sizes[c] * voxelMillilitres < minMillilitres, 0);
        return bits;
    }

    /// <summary>Background components (6-connected) that do not reach the box's faces are holes.</summary>
    internal static byte[] Fill(byte[] bits, LabelMask m)
    {
        var background = new RunComponents(bits, m.Nx, m.Ny, m.Nz, ones: false, Connectivity.Six);
        background.Paint(bits, c => !background.TouchesFace[c], 1);
        return bits;
    }

    internal static byte[] Open(byte[] bits, LabelMask m, Ball ball)
    {
        var work = WorkArray(bits.LongLength);
        return Dilate(Erode(bits, m, ball, work), m, ball, work);
    }

    internal static byte[] Close(byte[] bits, LabelMask m, Ball ball)
    {
        var work = WorkArray(bits.LongLength);
        var closed = Erode(Dilate(bits, m, ball, work), m, ball, work);
        // At the scan edge erosion sees "outside" as background; closing must never remove what was there.
        Chunks.For(closed.LongLength, (from, to) => { for (long i = from; i < to; i++) closed[i] |= bits[i]; });
        return closed;
    }

    // A voxel joins the dilation when some set voxel lies within the ball around it.
    private static byte[] Dilate(byte[] src, LabelMask m, Ball ball, float[] work)
    {
        var valid = DistanceTransform.Squared(src, m.Nx, m.Ny, m.Nz, ball.Spacing, siteIsSet: true, outsideIsSite: false, ball.SquaredLimit, work);
        return Threshold(work, valid, m.Nx, inside: true);
    }

    // A voxel survives erosion when no background voxel lies within the ball around it. Outside the box counts as
    // background: the margin keeps that from cutting structures that are not at the scan edge.
    private static byte[] Erode(byte[] src, LabelMask m, Ball ball, float[] work)
    {
        var valid = DistanceTransform.Squared(src, m.Nx, m.Ny, m.Nz, ball.Spacing, siteIsSet: false, outsideIsSite: true, ball.SquaredLimit, work);
        return Threshold(work, valid, m.Nx, inside: false);
    }

    // Distances beyond the ball are +infinity, so "within the ball" is "finite". Rows the transform never wrote hold
    // +infinity (dilation: nothing near) or 0 (erosion: all background), which both give 0 here, as the fresh array has.
    private static byte[] Threshold(float[] d, byte[] valid, int nx, bool inside)
    {
        var bits = new byte[d.LongLength];
        Parallel.For(0, (valid.LongLength + 255) / 256, block =>
        {
            long end = Math.Min(valid.LongLength, (block + 1) * 256);
            for (long r = block * 256; r < end; r++)
            {
                if (valid[r] == 0) continue;
                for (long i = r * nx; i < (r + 1) * nx; i++) bits[i] = float.IsFinite(d[i]) == inside ? (byte)1 : (byte)0;
            }
        });
        return bits;
    }

    // The transform reads only rows it wrote, so the array need not be cleared: pages of an empty region of the box are
    // then never touched at all.
    private static float[] WorkArray(long length) => GC.AllocateUninitializedArray<float>(checked((int)length));
}
