using static TorchSharp.torch;

namespace Agent.Inference.Training;

/// <summary>
/// Draws training patches: a share of them centred on a random voxel of a random present foreground class (so small
/// organs are seen), the rest placed uniformly.
/// </summary>
internal sealed class PatchSampler(IReadOnlyList<PreparedCase> cases, (int X, int Y, int Z) patch, double foregroundFraction, Random rng)
{
    /// <summary>Image (1, D, H, W) float32 and labels (D, H, W) int64, as new CPU tensors.</summary>
    public (Tensor Image, Tensor Labels) Next()
    {
        var c = cases[rng.Next(cases.Count)];
        var (nx, ny, nz) = c.Size;
        int x, y, z;
        var present = Enumerable.Range(1, c.Foreground.Length - 1).Where(k => c.Foreground[k].Length > 0).ToArray();
        if (present.Length > 0 && rng.NextDouble() < foregroundFraction)
        {
            var pool = c.Foreground[present[rng.Next(present.Length)]];
            long i = pool[rng.Next(pool.Length)];
            int cx = (int)(i % nx), cy = (int)(i / nx % ny), cz = (int)(i / ((long)nx * ny));
            x = Math.Clamp(cx - patch.X / 2, 0, nx - patch.X);
            y = Math.Clamp(cy - patch.Y / 2, 0, ny - patch.Y);
            z = Math.Clamp(cz - patch.Z / 2, 0, nz - patch.Z);
        }
        else
        {
            x = rng.Next(nx - patch.X + 1);
            y = rng.Next(ny - patch.Y + 1);
            z = rng.Next(nz - patch.Z + 1);
        }
        using var scope = NewDisposeScope();
        var img = frombuffer(c.Image.Voxels, ScalarType.Float32, c.Image.Voxels.LongLength, 0, false).view(nz, ny, nx);
        var lbl = frombuffer(c.Labels.Labels, ScalarType.Byte, c.Labels.Labels.LongLength, 0, false).view(nz, ny, nx);
        var ip = img.narrow(0, z, patch.Z).narrow(1, y, patch.Y).narrow(2, x, patch.X).unsqueeze(0).clone();
        var lp = lbl.narrow(0, z, patch.Z).narrow(1, y, patch.Y).narrow(2, x, patch.X).to(ScalarType.Int64);
        return (ip.MoveToOuterDisposeScope(), lp.MoveToOuterDisposeScope());
    }
}
