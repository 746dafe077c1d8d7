using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Agent.Inference.Training;

/// <summary>Cross-entropy plus (1 - mean soft Dice over foreground classes), Dice computed over the whole batch.</summary>
internal static class DiceCeLoss
{
    public static Tensor Compute(Tensor logits, Tensor target, int classes)
    {
        using var scope = NewDisposeScope();
        var ce = F.cross_entropy(logits, target);
        var probs = F.softmax(logits, 1);
        int spatial = (int)target.dim() - 1;
        var order = new long[spatial + 2];
        order[0] = 0;
        order[1] = spatial + 1;
        for (int i = 0; i < spatial; i++) order[i + 2] = i + 1;
        var onehot = F.one_hot(target, classes).permute(order).to(probs.dtype);
        var sumDims = Enumerable.Range(0, spatial + 2).Where(d => d != 1).Select(d => (long)d).ToArray();
        var intersection = (probs * onehot).sum(sumDims);
        var denominator = probs.sum(sumDims) + onehot.sum(sumDims);
        var dice = (intersection * 2 + 1e-5) / (denominator + 1e-5);
        var loss = ce + 1 - dice.narrow(0, 1, classes - 1).mean();
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>Deep supervision: weights 1, 1/2, 1/4... normalised, targets down-sampled by nearest neighbour.</summary>
    public static Tensor Compute(IReadOnlyList<Tensor> outputs, Tensor target, int classes)
    {
        if (outputs.Count == 1) return Compute(outputs[0], target, classes);
        using var scope = NewDisposeScope();
        double norm = Enumerable.Range(0, outputs.Count).Sum(i => Math.Pow(0.5, i));
        Tensor total = Compute(outputs[0], target, classes) * (1 / norm);
        for (int i = 1; i < outputs.Count; i++)
        {
            var size = outputs[i].shape.Skip(2).ToArray();
            var small = F.interpolate(target.unsqueeze(1).to(ScalarType.Float32), size, mode: InterpolationMode.Nearest)
                .squeeze(1).to(ScalarType.Int64);
            total = total + Compute(outputs[i], small, classes) * (Math.Pow(0.5, i) / norm);
        }
        return total.MoveToOuterDisposeScope();
    }
}
