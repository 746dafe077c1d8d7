using TorchSharp;
using static TorchSharp.torch;

namespace Agent.Inference.Models;

/// <summary>Creates 2D or 3D layers from one description, so both U-Nets share one implementation.</summary>
internal static class Layers
{
    public static nn.Module<Tensor, Tensor> Conv(int dims, long inCh, long outCh, int kernel, IReadOnlyList<int> stride, int padding, bool bias = true)
    {
        if (dims == 3)
        {
            return nn.Conv3d(inCh, outCh, (kernel, kernel, kernel), stride: (stride[0], stride[1], stride[2]),
                padding: (padding, padding, padding), bias: bias);
        }
        return nn.Conv2d(inCh, outCh, (kernel, kernel), stride: (stride[0], stride[1]), padding: (padding, padding), bias: bias);
    }

    public static nn.Module<Tensor, Tensor> UpConv(int dims, long inCh, long outCh, IReadOnlyList<int> stride)
    {
        if (dims == 3)
        {
            return nn.ConvTranspose3d(inCh, outCh, (stride[0], stride[1], stride[2]), stride: (stride[0], stride[1], stride[2]), bias: false);
        }
        return nn.ConvTranspose2d(inCh, outCh, (stride[0], stride[1]), stride: (stride[0], stride[1]), bias: false);
    }

    public static nn.Module<Tensor, Tensor> InstanceNorm(int dims, long features) => dims == 3
        ? nn.InstanceNorm3d(features, eps: 1e-5, affine: true)
        : nn.InstanceNorm2d(features, eps: 1e-5, affine: true);
}
