using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Agent.Inference.Models;

/// <summary>
/// nnU-Net-like U-Net for 2D or 3D: per stage two conv-instance-norm-LeakyReLU blocks (the first strided to
/// down-sample), transposed-convolution up-sampling, skip concatenation, 1x1 output head; optional deep-supervision
/// heads at the coarser decoder levels. Module names (encoder.S.B.conv, decoder.S.up, decoder.S.blocks.B.norm, head,
/// ds_heads.N) are the state_dict keys, matched by the Python twin in tests/Agent.Benchmarks/python/unet.py.
/// </summary>
public sealed class UNet : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE0044, IDE1006 // registered by reflection; field names are state_dict keys
    private nn.Module<Tensor, Tensor> head;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> encoder = new();
    private readonly ModuleList<DecoderStage> decoder = new();
    private readonly ModuleList<nn.Module<Tensor, Tensor>> ds_heads = new();
#pragma warning restore IDE0044, IDE1006

    public UNet(UNetOptions options) : base(nameof(UNet))
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        int dims = options.Dimensions;
        var one = Enumerable.Repeat(1, dims).ToArray();
        long previous = options.InChannels;
        for (int s = 0; s < options.Features.Count; s++)
        {
            long f = options.Features[s];
            encoder.Add(nn.Sequential(
                new ConvNormAct(dims, previous, f, options.StrideOf(s), options.NegativeSlope),
                new ConvNormAct(dims, f, f, one, options.NegativeSlope)));
            previous = f;
        }
        // decoder[0] brings the bottleneck up to the second-deepest stage; the last one to full resolution.
        for (int s = options.Features.Count - 2; s >= 0; s--)
        {
            decoder.Add(new DecoderStage(dims, options.Features[s + 1], options.Features[s], options.StrideOf(s + 1), options.NegativeSlope));
        }
        head = Layers.Conv(dims, options.Features[0], options.Classes, 1, one, padding: 0);
        if (options.DeepSupervision)
        {
            // One head per decoder output except the full-resolution one, coarsest last.
            for (int s = 1; s < options.Features.Count - 1; s++)
            {
                ds_heads.Add(Layers.Conv(dims, options.Features[s], options.Classes, 1, one, padding: 0));
            }
        }
        RegisterComponents();
    }

    public UNetOptions Options { get; }

    /// <summary>Logits at full resolution, shape (N, classes, spatial...).</summary>
    public override Tensor forward(Tensor input) => ForwardAll(input, includeDeepSupervision: false)[0];

    /// <summary>
    /// Logits at full resolution first, then (with deep supervision) at each coarser decoder level, finest to coarsest.
    /// </summary>
    public IReadOnlyList<Tensor> ForwardAll(Tensor input, bool includeDeepSupervision = true)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var skips = new List<Tensor>(encoder.Count);
        var x = input;
        foreach (var stage in encoder)
        {
            x = stage.forward(x);
            skips.Add(x);
        }
        var coarse = new List<Tensor>();
        for (int d = 0; d < decoder.Count; d++)
        {
            x = decoder[d].forward(x, skips[skips.Count - 2 - d]);
            int stage = skips.Count - 2 - d;
            if (includeDeepSupervision && ds_heads.Count > 0 && stage >= 1) coarse.Add(ds_heads[stage - 1].forward(x));
        }
        var outputs = new List<Tensor> { head.forward(x).MoveToOuterDisposeScope() };
        coarse.Reverse();
        outputs.AddRange(coarse.Select(t => t.MoveToOuterDisposeScope()));
        return outputs;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            head.Dispose();
            encoder.Dispose();
            decoder.Dispose();
            ds_heads.Dispose();
        }
        base.Dispose(disposing);
    }
}
