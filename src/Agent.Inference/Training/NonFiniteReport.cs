using static TorchSharp.torch;

namespace Agent.Inference.Training;

/// <summary>
/// Says where a NaN or infinity sits when training meets one: in the input batch (the data or an augmentation), in
/// the network's outputs while the weights are finite (a forward kernel), or already in the weights (an earlier step).
/// </summary>
internal static class NonFiniteReport
{
    public static string Describe(Tensor images, IReadOnlyList<Tensor> outputs, nn.Module net)
    {
        using var scope = NewDisposeScope();
        var parts = new List<string> { Count(images) is var bad and > 0 ? $"the input batch holds {bad} non-finite value(s)" : "the input batch is finite" };
        for (int i = 0; i < outputs.Count; i++)
        {
            long n = Count(outputs[i]);
            if (n > 0) parts.Add($"output {i} holds {n} non-finite logit(s)");
        }
        if (parts.Count == 1) parts.Add("the outputs are finite");
        var weights = net.named_parameters().Where(p => Count(p.parameter) > 0).Select(p => p.name).ToList();
        parts.Add(weights.Count == 0 ? "the weights are finite" : "non-finite weights in " + string.Join(", ", weights.Take(5)));
        return string.Join(", ", parts);
    }

    private static long Count(Tensor t) => t.isfinite().logical_not().sum().item<long>();
}
