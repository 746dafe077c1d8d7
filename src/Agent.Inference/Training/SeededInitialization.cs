using static TorchSharp.torch;

namespace Agent.Inference.Training;

/// <summary>
/// Draws a network's initial weights from the training run's own generator. The module constructors draw from
/// libtorch's process-wide generator, which anything else in the process (another training, a test running in
/// parallel) also advances, so a seed set on it does not fix the weights. Same distribution as the constructors:
/// U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for convolution weights (Kaiming uniform with a = sqrt(5)) and their biases,
/// with fan_in = shape[1] x kernel volume as PyTorch computes it (also for transposed convolutions); normalisation
/// weights and biases keep their constant ones and zeros.
/// </summary>
internal static class SeededInitialization
{
    public static void Apply(nn.Module net, Generator generator)
    {
        using var noGrad = no_grad();
        var parameters = net.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        foreach (var (name, weight) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!name.EndsWith(".weight", StringComparison.Ordinal) || weight.dim() < 2) continue;
            long fanIn = weight.shape.Skip(1).Aggregate(1L, (a, b) => a * b);
            double bound = 1 / Math.Sqrt(fanIn);
            weight.uniform_(-bound, bound, generator);
            if (parameters.TryGetValue(name[..^".weight".Length] + ".bias", out var bias)) bias.uniform_(-bound, bound, generator);
        }
    }
}
