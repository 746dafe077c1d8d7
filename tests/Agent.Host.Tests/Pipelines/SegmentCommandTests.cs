using Agent.Host.Cli;
using Agent.Imaging.Nifti;

namespace Agent.Host.Tests.Pipelines;

public sealed class SegmentCommandTests
{
    private static async Task<(int Code, string Out, string Error)> RunAsync(string home, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, new CliContext { Out = output, Error = error, Environment = new Dictionary<string, string?> { ["AGENT_HOME"] = home } },
            CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Segment_runs_a_model_package_on_a_phantom_and_writes_labels_on_the_series_grid()
    {
        using var home = new TempHome();
        var phantom = Path.Combine(home.Path, "phantom");
        Assert.Equal(ExitCodes.Ok, (await RunAsync(home.Path, "phantom", phantom, "--seed", "3", "--matrix", "64")).Code);
        await TinyModel.WriteAsync(Path.Combine(home.Path, "config", "models", "tiny"));
        var outDir = Path.Combine(home.Path, "out");

        var (code, output, error) = await RunAsync(home.Path, "segment", Path.Combine(phantom, "dicom"), "--out", outDir, "--model", "tiny-ct@0.1.0", "--device", "cpu");

        Assert.True(code == ExitCodes.Ok, error + output);
        Assert.Contains("model tiny-ct 0.1.0 on cpu", output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("inference_ms", output, StringComparison.Ordinal);
        var labels = NiftiFile.ReadLabels(Path.Combine(outDir, "labels.nii.gz"));
        var image = NiftiFile.ReadVolume(Path.Combine(phantom, "image.nii.gz"));
        Assert.Equal(image.Geometry.Size, labels.Geometry.Size);
        Assert.All(labels.Labels, v => Assert.InRange(v, (byte)0, (byte)4));
    }

    [Fact]
    public async Task Segment_with_an_unknown_model_says_where_it_looked()
    {
        using var home = new TempHome();
        Directory.CreateDirectory(Path.Combine(home.Path, "in"));
        var (code, _, error) = await RunAsync(home.Path, "segment", Path.Combine(home.Path, "in"), "--out", Path.Combine(home.Path, "out"), "--model", "nope@9");
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("agent segment: model: no model package 'nope@9'", error, StringComparison.Ordinal);
    }
}
