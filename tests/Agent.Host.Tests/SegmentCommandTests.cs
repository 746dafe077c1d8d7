using Agent.Host.Cli;
using Agent.Imaging.Nifti;
using Agent.Inference.Models;
using Agent.Inference.Packages;

namespace Agent.Host.Tests;

public sealed class SegmentCommandTests
{
    /// <summary>A tiny untrained package: this checks the plumbing (series -> model -> label map on the input grid), not accuracy.</summary>
    private static ModelManifest TinyManifest() => new()
    {
        Name = "tiny-test-model",
        Version = "0.0.1",
        Architecture = new ArchitectureSpec { Dimensions = 3, Features = [4, 8] },
        Modality = "CT",
        TargetSpacing = [8, 8, 8],
        Normalization = new NormalizationSpec { Scheme = "ct", Window = [-200, 300], Mean = 50, Std = 100 },
        PatchSize = [16, 16, 16],
        Weights = new WeightsSpec { File = "weights.dat", Sha256 = new string('0', 64) },
        Labels = AbdomenLabels.All,
    };

    private static async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, new CliContext { Out = output, Error = error, Environment = new Dictionary<string, string?>() }, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Segment_writes_a_label_map_on_the_series_own_grid()
    {
        using var home = new TempHome();
        var manifest = TinyManifest();
        using (var net = new UNet(manifest.NetworkOptions()))
            await ModelPackage.SaveAsync(Path.Combine(home.Path, "model"), manifest, net, CancellationToken.None);
        var (code, _, error) = await RunAsync("phantom", Path.Combine(home.Path, "phantom"), "--seed", "2", "--matrix", "64");
        Assert.True(code == ExitCodes.Ok, error);
        var labelsPath = Path.Combine(home.Path, "labels.nii.gz");

        (code, var output, error) = await RunAsync("segment", Path.Combine(home.Path, "phantom", "dicom"),
            "--model", Path.Combine(home.Path, "model"), "--out", labelsPath, "--device", "cpu");

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("tiny-test-model 0.0.1 on cpu", output, StringComparison.OrdinalIgnoreCase);
        var labels = NiftiFile.ReadLabels(labelsPath);
        var truth = NiftiFile.ReadLabels(Path.Combine(home.Path, "phantom", "labels.nii.gz"));
        Assert.Equal(truth.Geometry.Size, labels.Geometry.Size);
    }

    [Fact]
    public async Task Segment_with_a_folder_that_is_not_a_model_package_fails_with_the_reason()
    {
        using var home = new TempHome();
        var (code, _, error) = await RunAsync("phantom", Path.Combine(home.Path, "phantom"), "--seed", "2", "--matrix", "64");
        Assert.Equal(ExitCodes.Ok, code);
        (code, _, error) = await RunAsync("segment", Path.Combine(home.Path, "phantom", "dicom"), "--model", home.Path, "--out", Path.Combine(home.Path, "l.nii.gz"));
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("agent segment: model:", error, StringComparison.Ordinal);
    }
}
