namespace Agent.Inference.Models;

/// <summary>
/// Hyper-parameters of an nnU-Net-like U-Net. Spatial quantities are in tensor order: (D, H, W) for 3D, which for an
/// <see cref="Agent.Imaging.Volume"/> is (Z, Y, X); (H, W) for 2D, i.e. (Y, X) of an axial slice.
/// </summary>
public sealed record UNetOptions
{
    /// <summary>2 for a slice-wise network, 3 for a volumetric one.</summary>
    public int Dimensions { get; init; } = 3;

    public int InChannels { get; init; } = 1;

    /// <summary>Output channels including background.</summary>
    public int Classes { get; init; } = 2;

    /// <summary>Feature maps per resolution stage, from full resolution down to the bottleneck.</summary>
    public IReadOnlyList<int> Features { get; init; } = [16, 32, 64, 128];

    /// <summary>
    /// Down-sampling stride per stage and axis in tensor order; null = 1 for the first stage, 2 after. Anisotropic
    /// strides (e.g. [1, 2, 2] for (D, H, W)) keep a thick-slice axis from collapsing too early.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<int>>? Strides { get; init; }

    public bool DeepSupervision { get; init; }

    public double NegativeSlope { get; init; } = 0.01;

    public IReadOnlyList<int> StrideOf(int stage)
    {
        if (Strides is not null) return Strides[stage];
        int s = stage == 0 ? 1 : 2;
        return Enumerable.Repeat(s, Dimensions).ToArray();
    }

    /// <summary>Product of strides per axis: patch sizes must be multiples of it.</summary>
    public IReadOnlyList<int> TotalDownsampling()
    {
        var total = Enumerable.Repeat(1, Dimensions).ToArray();
        for (int s = 0; s < Features.Count; s++)
        {
            var st = StrideOf(s);
            for (int a = 0; a < Dimensions; a++) total[a] *= st[a];
        }
        return total;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the offending hyper-parameter.</summary>
    public void Validate()
    {
        if (Dimensions is not (2 or 3)) throw new ArgumentException($"dimensions must be 2 or 3, got {Dimensions}");
        if (InChannels is < 1 or > 64) throw new ArgumentException($"inChannels must be 1-64, got {InChannels}");
        if (Classes is < 2 or > 255) throw new ArgumentException($"classes must be 2-255 (background included), got {Classes}");
        if (Features.Count is < 2 or > 8) throw new ArgumentException($"features must list 2-8 stages, got {Features.Count}");
        if (Features.Any(f => f is < 1 or > 1024)) throw new ArgumentException("features must each be 1-1024");
        if (NegativeSlope is < 0 or > 1) throw new ArgumentException($"negativeSlope must be 0-1, got {NegativeSlope}");
        if (Strides is null) return;
        if (Strides.Count != Features.Count)
            throw new ArgumentException($"strides must have one entry per stage ({Features.Count}), got {Strides.Count}");
        foreach (var s in Strides)
        {
            if (s.Count != Dimensions || s.Any(v => v is < 1 or > 4))
                throw new ArgumentException($"each strides entry must have {Dimensions} values of 1-4");
        }
    }
}
