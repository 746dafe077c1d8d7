namespace Agent.Imaging.Postprocessing;

/// <summary>Inclusive voxel bounds of one label.</summary>
internal readonly record struct LabelBox(int X0, int Y0, int Z0, int X1, int Y1, int Z1);

/// <summary>
/// Every label's bounding box from one pass over the volume (parallel over slices), so post-processing does not rescan
/// a 100-million-voxel scan for every step of every label.
/// </summary>
internal static class LabelBoxes
{
    /// <returns>One entry per label value 0..255 (0 is never filled in); null where the label is absent.</returns>
    public static LabelBox?[] Find(LabelVolume v)
    {
        var g = v.Geometry;
        int sx = g.Size.X, sy = g.Size.Y, sz = g.Size.Z;
        var labels = v.Labels;
        var boxes = NewBounds();
        var gate = new object();
        Parallel.For(0, sz, NewBounds, (k, _, local) =>
        {
            for (int j = 0; j < sy; j++)
            {
                long start = (long)sx * (j + (long)sy * k);
                // Rows are short (a few hundred voxels) and mostly background: skip zeros with a vectorised search.
                int i = 0;
                while (i < sx)
                {
                    int next = Row(labels, start, sx).Slice(i).IndexOfAnyExcept((byte)0);
                    if (next < 0) break;
                    i += next;
                    int l = labels[start + i];
                    int b = 6 * l;
                    if (i < local[b]) local[b] = i;
                    if (i > local[b + 3]) local[b + 3] = i;
                    if (j < local[b + 1]) local[b + 1] = j;
                    if (j > local[b + 4]) local[b + 4] = j;
                    if (k < local[b + 2]) local[b + 2] = k;
                    if (k > local[b + 5]) local[b + 5] = k;
                    i++;
                }
            }
            return local;
        }, local =>
        {
            lock (gate)
            {
                for (int b = 6; b < boxes.Length; b += 6)
                {
                    for (int a = 0; a < 3; a++) boxes[b + a] = Math.Min(boxes[b + a], local[b + a]);
                    for (int a = 3; a < 6; a++) boxes[b + a] = Math.Max(boxes[b + a], local[b + a]);
                }
            }
        });
        var result = new LabelBox?[256];
        for (int l = 1; l < 256; l++)
        {
            int b = 6 * l;
            if (boxes[b + 3] >= 0) result[l] = new LabelBox(boxes[b], boxes[b + 1], boxes[b + 2], boxes[b + 3], boxes[b + 4], boxes[b + 5]);
        }
        return result;
    }

    /// <summary>One row of the volume; a row never exceeds int range even when the volume does.</summary>
    internal static Span<byte> Row(byte[] data, long start, int length) =>
        System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref data[start], length);

    // Six ints per label: min x, y, z then max x, y, z.
    private static int[] NewBounds()
    {
        var b = new int[256 * 6];
        for (int l = 0; l < 256; l++)
        {
            b[6 * l] = b[6 * l + 1] = b[6 * l + 2] = int.MaxValue;
            b[6 * l + 3] = b[6 * l + 4] = b[6 * l + 5] = -1;
        }
        return b;
    }
}
