using static TorchSharp.torch;

namespace Agent.Inference.SlidingWindow;

/// <summary>Per-voxel weight of a patch prediction, shape (D, H, W), float32, maximum 1, never 0.</summary>
public static class ImportanceMap
{
    public static float[] Create((int X, int Y, int Z) patch, PatchImportance kind)
    {
        var map = new float[(long)patch.X * patch.Y * patch.Z];
        if (kind == PatchImportance.Constant)
        {
            Array.Fill(map, 1f);
            return map;
        }
        var gx = Gaussian1D(patch.X);
        var gy = Gaussian1D(patch.Y);
        var gz = Gaussian1D(patch.Z);
        int n = 0;
        for (int z = 0; z < patch.Z; z++)
        {
            for (int y = 0; y < patch.Y; y++)
            {
                for (int x = 0; x < patch.X; x++) map[n++] = (float)(gz[z] * gy[y] * gx[x]);
            }
        }
        // Corners of large patches underflow towards 0; a floor keeps every voxel covered by a non-zero weight sum.
        float floor = map.Where(v => v > 0).DefaultIfEmpty(1f).Min();
        for (int i = 0; i < map.Length; i++) map[i] = Math.Max(map[i], Math.Max(floor, 1e-6f));
        return map;
    }

    public static Tensor CreateTensor((int X, int Y, int Z) patch, PatchImportance kind, Device device)
    {
        using var cpu = tensor(Create(patch, kind), new long[] { patch.Z, patch.Y, patch.X });
        return cpu.to(device);
    }

    private static double[] Gaussian1D(int n)
    {
        var g = new double[n];
        double sigma = n / 8.0, centre = (n - 1) / 2.0, max = 0;
        for (int i = 0; i < n; i++)
        {
            double d = (i - centre) / sigma;
            g[i] = n == 1 ? 1 : Math.Exp(-0.5 * d * d);
            max = Math.Max(max, g[i]);
        }
        for (int i = 0; i < n; i++) g[i] /= max;
        return g;
    }
}
