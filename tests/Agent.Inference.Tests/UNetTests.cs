using Agent.Inference.Models;
using static TorchSharp.torch;

namespace Agent.Inference.Tests;

public sealed class UNetTests
{
    [Fact]
    public void A_3D_UNet_maps_a_patch_to_per_class_logits_of_the_same_size()
    {
        using var scope = NewDisposeScope();
        using var net = new UNet(new UNetOptions { Dimensions = 3, Classes = 3, Features = [4, 8, 16] });
        var y = net.forward(randn(new long[] { 2, 1, 16, 24, 32 }));
        Assert.Equal(new long[] { 2, 3, 16, 24, 32 }, y.shape);
    }

    [Fact]
    public void A_2D_UNet_with_deep_supervision_returns_coarser_outputs_finest_first()
    {
        using var scope = NewDisposeScope();
        using var net = new UNet(new UNetOptions { Dimensions = 2, Classes = 5, Features = [4, 8, 16, 32], DeepSupervision = true });
        var outputs = net.ForwardAll(randn(new long[] { 1, 1, 32, 32 }));
        Assert.Equal(3, outputs.Count);
        Assert.Equal(new long[] { 1, 5, 32, 32 }, outputs[0].shape);
        Assert.Equal(new long[] { 1, 5, 16, 16 }, outputs[1].shape);
        Assert.Equal(new long[] { 1, 5, 8, 8 }, outputs[2].shape);
    }

    [Fact]
    public void Anisotropic_strides_keep_the_thin_axis_at_full_resolution()
    {
        using var scope = NewDisposeScope();
        int[][] strides = [[1, 1, 1], [1, 2, 2], [2, 2, 2]];
        using var net = new UNet(new UNetOptions { Features = [4, 8, 16], Strides = strides });
        Assert.Equal(new[] { 2, 4, 4 }, net.Options.TotalDownsampling());
        var y = net.forward(randn(new long[] { 1, 1, 4, 16, 16 }));
        Assert.Equal(new long[] { 1, 2, 4, 16, 16 }, y.shape);
    }

    [Fact]
    public void State_dict_keys_follow_the_documented_module_names()
    {
        using var net = new UNet(new UNetOptions { Features = [4, 8], DeepSupervision = false });
        var keys = net.state_dict().Keys.ToHashSet();
        Assert.Contains("encoder.0.0.conv.weight", keys);
        Assert.Contains("encoder.1.1.norm.bias", keys);
        Assert.Contains("decoder.0.up.weight", keys);
        Assert.Contains("decoder.0.blocks.1.conv.weight", keys);
        Assert.Contains("head.weight", keys);
    }

    [Fact]
    public void Invalid_hyper_parameters_are_rejected_with_the_parameter_named()
    {
        var ex = Assert.Throws<ArgumentException>(() => new UNet(new UNetOptions { Classes = 1 }));
        Assert.Contains("classes", ex.Message, StringComparison.Ordinal);
    }
}
