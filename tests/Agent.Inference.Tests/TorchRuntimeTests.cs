using TorchSharp;
using static TorchSharp.torch;

namespace Agent.Inference.Tests;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void A_3D_convolution_runs_forward_and_backward_on_the_CPU()
    {
        using var scope = NewDisposeScope();
        using var conv = nn.Conv3d(2, 4, 3, padding: 1);
        var input = randn(new long[] { 1, 2, 8, 8, 8 });
        var output = conv.forward(input);
        Assert.Equal(new long[] { 1, 4, 8, 8, 8 }, output.shape);

        output.square().mean().backward();

        var grad = conv.weight!.grad;
        Assert.NotNull(grad);
        Assert.True(grad.abs().sum().item<float>() > 0f, "the weights received a gradient");
    }
}
