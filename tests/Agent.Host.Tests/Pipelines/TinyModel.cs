using Agent.Inference.Models;
using Agent.Inference.Packages;

namespace Agent.Host.Tests.Pipelines;

/// <summary>An untrained, tiny 3D U-Net package: exercises the pipeline's plumbing, not its accuracy.</summary>
internal static class TinyModel
{
    public static async Task<string> WriteAsync(string folder, string version = "0.1.0")
    {
        var manifest = new ModelManifest
        {
            Name = "tiny-ct",
            Version = version,
            Architecture = new ArchitectureSpec { Dimensions = 3, Features = [4, 8] },
            Modality = "CT",
            TargetSpacing = [4, 4, 5],
            Normalization = new NormalizationSpec { Scheme = "ct", Window = [-200, 300], Mean = 50, Std = 100 },
            PatchSize = [16, 16, 8],
            Weights = new WeightsSpec { File = "weights.dat", Sha256 = new string('0', 64) },
            Labels = AbdomenLabels.All,
        };
        using var net = new UNet(manifest.NetworkOptions());
        await ModelPackage.SaveAsync(folder, manifest, net, CancellationToken.None);
        return folder;
    }
}
