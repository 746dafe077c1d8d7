using TorchSharp;
using static TorchSharp.torch;

namespace Agent.Inference.Models;

/// <summary>Convolution, instance normalisation (affine) and LeakyReLU: the nnU-Net building block.</summary>
internal sealed class ConvNormAct : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE0044 // TorchSharp registers fields by reflection; names are state_dict keys
    private nn.Module<Tensor, Tensor> conv;
    private nn.Module<Tensor, Tensor> norm;
    private nn.Module<Tensor, Tensor> act;
#pragma warning restore IDE0044

    public ConvNormAct(int dims, long inChannels, long outChannels, IReadOnlyList<int> stride, double negativeSlope)
        : base(nameof(ConvNormAct))
    {
        conv = Layers.Conv(dims, inChannels, outChannels, 3, stride, padding: 1);
        norm = Layers.InstanceNorm(dims, outChannels);
        act = nn.LeakyReLU(negativeSlope);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var c = conv.forward(input);
        using var n = norm.forward(c);
        return act.forward(n);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv.Dispose();
            norm.Dispose();
            act.Dispose();
        }
        base.Dispose(disposing);
    }
}
