using System.Diagnostics;
using Agent.Inference.Models;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Agent.Inference.Tests;

/// <summary>Needs Debian's python3-torch (install/lib.sh TEST_PACKAGES).</summary>
public sealed class PyTorchStateDictTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("infer-py-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private async Task ExportAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Python", "unet_twin.py"));
        psi.ArgumentList.Add("export");
        psi.ArgumentList.Add(folder);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, "python3 unet_twin.py export failed (is python3-torch installed?): " + await stderr);
    }

    private float[] ReadFloats(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(folder, name));
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    [Theory]
    [InlineData(3, "8,16,32", "")]
    [InlineData(3, "4,8,16", "1,1,1;1,2,2;2,2,2")]
    [InlineData(2, "4,8,16,32", "")]
    public async Task A_PyTorch_state_dict_loads_into_the_matching_network_and_computes_the_same_logits(int dims, string features, string strides)
    {
        await ExportAsync("--dims", dims.ToString(System.Globalization.CultureInfo.InvariantCulture), "--features", features, "--classes", "3", "--strides", strides);
        var options = new UNetOptions
        {
            Dimensions = dims,
            Classes = 3,
            Features = features.Split(',').Select(int.Parse).ToArray(),
            Strides = strides.Length == 0 ? null : strides.Split(';').Select(s => (IReadOnlyList<int>)s.Split(',').Select(int.Parse).ToArray()).ToArray(),
        };
        using var net = new UNet(options);
        net.load_py(Path.Combine(folder, "state_dict.pt"), strict: true);
        net.eval();

        long[] shape = dims == 3 ? [1, 1, 16, 16, 16] : [1, 1, 32, 32];
        using var x = tensor(ReadFloats("input.f32"), shape);
        using var _ = no_grad();
        var actual = net.forward(x).flatten().data<float>().ToArray();
        var expected = ReadFloats("output.f32");

        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-3f);
    }
}
