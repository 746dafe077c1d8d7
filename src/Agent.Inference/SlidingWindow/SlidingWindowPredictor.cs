using Agent.Imaging;
using static TorchSharp.torch;

namespace Agent.Inference.SlidingWindow;

/// <summary>
/// Patch-based prediction over a whole volume: overlapping patches, per-patch softmax weighted by an importance map
/// (Gaussian by default), accumulated in float32 on the CPU and normalised by the summed weights, so patch borders
/// leave no seams. Only one batch of patches lives on the device at a time.
/// </summary>
public static class SlidingWindowPredictor
{
    /// <param name="image">Preprocessed (resampled, normalised) single-channel volume on the model grid.</param>
    /// <param name="logits">Maps a (B, 1, D, H, W) batch on <paramref name="device"/> to (B, classes, D, H, W) logits.</param>
    public static ProbabilityMap Predict(Volume image, Func<Tensor, Tensor> logits, int classes, SlidingWindowOptions options,
        Device device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (classes is < 2 or > 256) throw new ArgumentOutOfRangeException(nameof(classes), "2-256 classes");

        var (nx, ny, nz) = image.Geometry.Size;
        var patch = options.PatchSize;
        int px = Math.Max(nx, patch.X), py = Math.Max(ny, patch.Y), pz = Math.Max(nz, patch.Z);
        bool padded = px != nx || py != ny || pz != nz;
        long paddedCount = (long)px * py * pz;

        var accumulators = new float[classes][];
        for (int c = 0; c < classes; c++) accumulators[c] = new float[paddedCount];
        var weightSum = new float[paddedCount];

        using (no_grad())
        using (var outer = NewDisposeScope())
        {
            var input = PaddedInput(image, px, py, pz);
            var acc = accumulators.Select(a => View(a, pz, py, px)).ToArray();
            var wsum = View(weightSum, pz, py, px);
            var importanceCpu = ImportanceMap.CreateTensor(patch, options.Importance, CPU);
            var importance = importanceCpu.to(device);
            var flips = MirrorAxes(patch, options.Mirror);
            var swap = options.LateralChannelSwap is { } table ? tensor(table.ToArray(), device: device) : null;
            if (swap is not null && swap.shape[0] != classes)
                throw new ArgumentException($"the lateral channel swap must list {classes} channels", nameof(options));

            var origins = (from z in PatchGrid.Starts(pz, patch.Z, options.Overlap)
                           from y in PatchGrid.Starts(py, patch.Y, options.Overlap)
                           from x in PatchGrid.Starts(px, patch.X, options.Overlap)
                           select (x, y, z)).ToArray();
            foreach (var batchOrigins in origins.Chunk(options.BatchSize))
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var batch = stack(batchOrigins.Select(o => Window(input, o, patch)).ToArray()).to(device);
                var probs = PredictWithMirroring(batch, logits, flips, classes, swap);
                RequireFinite(probs, batchOrigins);
                var weighted = (probs * importance).cpu();
                for (int b = 0; b < batchOrigins.Length; b++)
                {
                    var o = batchOrigins[b];
                    for (int c = 0; c < classes; c++) Window(acc[c], o, patch).add_(weighted[b, c]);
                    Window(wsum, o, patch).add_(importanceCpu);
                }
            }
            foreach (var a in acc) a.div_(wsum);
        }

        if (!padded) return new ProbabilityMap(image.Geometry, accumulators);
        var cropped = new float[classes][];
        for (int c = 0; c < classes; c++) cropped[c] = Crop(accumulators[c], (px, py, pz), (nx, ny, nz));
        return new ProbabilityMap(image.Geometry, cropped);
    }

    private static Tensor PredictWithMirroring(Tensor batch, Func<Tensor, Tensor> logits, long[][] flips, int classes, Tensor? swap)
    {
        var probs = softmax(Checked(logits(batch), batch, classes), 1);
        if (flips.Length == 0) return probs;
        foreach (var axes in flips)
        {
            using var flipped = batch.flip(axes);
            using var l = Checked(logits(flipped), batch, classes);
            using var p = softmax(l, 1);
            using var back = p.flip(axes);
            if (swap is not null && axes.Contains(4))
            {
                using var swapped = back.index_select(1, swap);
                probs.add_(swapped);
            }
            else
            {
                probs.add_(back);
            }
        }
        return probs.div_(flips.Length + 1);
    }

    private static void RequireFinite(Tensor probs, (int X, int Y, int Z)[] origins)
    {
        using var bad = probs.isfinite().logical_not();
        long count = bad.sum().item<long>();
        if (count == 0) return;
        using var perPatch = bad.flatten(1).any(1);
        int first = Enumerable.Range(0, origins.Length).First(b => perPatch[b].item<bool>());
        var o = origins[first];
        throw new NonFiniteOutputException(
            $"the model produced {count} non-finite probabilit{(count == 1 ? "y" : "ies")} (NaN or infinity), first in the patch at voxel ({o.X}, {o.Y}, {o.Z}) of the model grid; no segmentation was made from them");
    }

    private static Tensor Checked(Tensor output, Tensor batch, int classes)
    {
        var s = output.shape;
        if (s.Length != 5 || s[0] != batch.shape[0] || s[1] != classes || s[2] != batch.shape[2] || s[3] != batch.shape[3] || s[4] != batch.shape[4])
        {
            throw new InvalidOperationException(
                $"the model returned shape [{string.Join(", ", s)}] for a batch of [{string.Join(", ", batch.shape)}]; expected {classes} classes at the patch size");
        }
        return output;
    }

    /// <summary>Every non-empty combination of the spatial axes (tensor dims 2-4) that are longer than one voxel.</summary>
    private static long[][] MirrorAxes((int X, int Y, int Z) patch, bool mirror)
    {
        if (!mirror) return [];
        var axes = new List<long>();
        if (patch.Z > 1) axes.Add(2);
        if (patch.Y > 1) axes.Add(3);
        if (patch.X > 1) axes.Add(4);
        var combos = new List<long[]>();
        for (int mask = 1; mask < 1 << axes.Count; mask++)
        {
            combos.Add(axes.Where((_, i) => (mask & (1 << i)) != 0).ToArray());
        }
        return combos.ToArray();
    }

    private static Tensor PaddedInput(Volume image, int px, int py, int pz)
    {
        var (nx, ny, nz) = image.Geometry.Size;
        // Shares the volume's memory (read only) when no padding is needed: no copy of a large CT.
        var view = View(image.Voxels, nz, ny, nx).unsqueeze(0);
        if (px == nx && py == ny && pz == nz) return view;
        var padded = zeros(1, pz, py, px);
        padded[.., ..nz, ..ny, ..nx] = view;
        return padded;
    }

    private static Tensor View(float[] data, long d, long h, long w) =>
        frombuffer(data, ScalarType.Float32, data.LongLength, 0, false).view(d, h, w);

    /// <summary>The patch at an origin of a (..., D, H, W) tensor, as a view.</summary>
    private static Tensor Window(Tensor t, (int X, int Y, int Z) o, (int X, int Y, int Z) patch)
    {
        int n = (int)t.dim();
        return t.narrow(n - 3, o.Z, patch.Z).narrow(n - 2, o.Y, patch.Y).narrow(n - 1, o.X, patch.X);
    }

    private static float[] Crop(float[] source, (int X, int Y, int Z) from, (int X, int Y, int Z) to)
    {
        var result = new float[(long)to.X * to.Y * to.Z];
        for (int z = 0; z < to.Z; z++)
        {
            for (int y = 0; y < to.Y; y++)
            {
                Array.Copy(source, (long)from.X * (y + (long)from.Y * z), result, (long)to.X * (y + (long)to.Y * z), to.X);
            }
        }
        return result;
    }
}
