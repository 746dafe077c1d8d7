using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Agent.Inference.Training;

/// <summary>
/// Batch augmentation: in-plane rotation (±15°) and scaling (0.85-1.15), flips, intensity scale/shift and Gaussian
/// noise (from the run's own generator, not libtorch's global one). Flipping the X (left-right) axis swaps lateral
/// label pairs (left/right kidney), or the flipped image would
/// teach that a left kidney lies on the patient's right.
/// </summary>
internal sealed class Augmenter(Random rng, Generator noise, int dimensions, long[] lateralSwap, bool mirror = true)
{
    private const double SpatialProbability = 0.3;
    private const double NoiseProbability = 0.3;

    /// <param name="image">(B, 1, D, H, W) float32.</param>
    /// <param name="labels">(B, D, H, W) int64.</param>
    public (Tensor Image, Tensor Labels) Apply(Tensor image, Tensor labels)
    {
        long batch = image.shape[0];
        var device = image.device;
        using var scope = NewDisposeScope();

        var theta = zeros(batch, 3, 4);
        bool anySpatial = false;
        for (int b = 0; b < batch; b++)
        {
            double angle = 0, scale = 1;
            if (rng.NextDouble() < SpatialProbability)
            {
                angle = (rng.NextDouble() * 2 - 1) * Math.PI / 12;
                scale = 0.85 + rng.NextDouble() * 0.3;
                anySpatial = true;
            }
            double c = Math.Cos(angle) / scale, s = Math.Sin(angle) / scale;
            theta[b, 0, 0] = c;
            theta[b, 0, 1] = -s;
            theta[b, 1, 0] = s;
            theta[b, 1, 1] = c;
            theta[b, 2, 2] = dimensions == 3 ? 1 / scale : 1;
        }
        var img = image;
        var lbl = labels;
        if (anySpatial)
        {
            var grid = F.affine_grid(theta.to(device), image.shape, align_corners: false);
            img = F.grid_sample(image, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false);
            using var asFloat = labels.unsqueeze(1).to(ScalarType.Float32);
            lbl = F.grid_sample(asFloat, grid, GridSampleMode.Nearest, GridSamplePaddingMode.Zeros, align_corners: false)
                .squeeze(1).round().to(ScalarType.Int64);
        }

        var swap = tensor(lateralSwap, device: device);
        var images = new Tensor[batch];
        var labelList = new Tensor[batch];
        for (int b = 0; b < batch; b++)
        {
            var i = img[b];
            var l = lbl[b];
            var axes = new List<long>();
            if (mirror && rng.NextDouble() < 0.5) axes.Add(2);          // X (W): patient left-right
            if (mirror && rng.NextDouble() < 0.5) axes.Add(1);          // Y (H)
            if (mirror && dimensions == 3 && rng.NextDouble() < 0.5) axes.Add(0);
            if (axes.Count > 0)
            {
                var dims = axes.ToArray();
                i = i.flip(dims.Select(d => d + 1).ToArray());
                l = l.flip(dims);
                if (axes.Contains(2)) l = swap.take(l);
            }
            i = i * (0.9 + rng.NextDouble() * 0.2) + (rng.NextDouble() * 0.2 - 0.1);
            if (rng.NextDouble() < NoiseProbability) i = i + randn(i.shape, device: i.device, generator: noise) * (rng.NextDouble() * 0.1);
            images[b] = i;
            labelList[b] = l;
        }
        return (stack(images).MoveToOuterDisposeScope(), stack(labelList).MoveToOuterDisposeScope());
    }

    /// <summary>Class permutation for an X flip: identity except Left/Right pairs of the same structure type.</summary>
    public static long[] LateralSwapTable(IReadOnlyList<Packages.LabelSpec> labels)
    {
        var table = Enumerable.Range(0, labels.Count + 1).Select(i => (long)i).ToArray();
        foreach (var left in labels.Where(l => l.Laterality?.Code == "7771000"))
        {
            var right = labels.FirstOrDefault(r => r.Laterality?.Code == "24028007" && r.Type.Code == left.Type.Code && r.Type.Scheme == left.Type.Scheme);
            if (right is null) continue;
            table[left.Value] = right.Value;
            table[right.Value] = left.Value;
        }
        return table;
    }
}
