using TorchSharp;
using static TorchSharp.torch;

namespace Agent.Inference.Models;

/// <summary>Up-sample, concatenate the encoder skip, two conv blocks.</summary>
internal sealed class DecoderStage : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE0044
    private nn.Module<Tensor, Tensor> up;
    private nn.Module<Tensor, Tensor> blocks;
#pragma warning restore IDE0044

    public DecoderStage(int dims, long inChannels, long outChannels, IReadOnlyList<int> stride, double negativeSlope)
        : base(nameof(DecoderStage))
    {
        var one = Enumerable.Repeat(1, dims).ToArray();
        up = Layers.UpConv(dims, inChannels, outChannels, stride);
        blocks = nn.Sequential(
            new ConvNormAct(dims, outChannels * 2, outChannels, one, negativeSlope),
            new ConvNormAct(dims, outChannels, outChannels, one, negativeSlope));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input, Tensor skip)
    {
        using var u = up.forward(input);
        using var joined = cat([u, skip], 1);
        return blocks.forward(joined);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            up.Dispose();
            blocks.Dispose();
        }
        base.Dispose(disposing);
    }
}
