using Agent.Imaging;
using Agent.Inference.Models;
using Agent.Inference.Packages;

namespace Agent.Inference.Tests;

public sealed class RecommendedPostProcessingTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("infer-postproc-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task The_manifest_closing_radius_stays_in_millimetres_whatever_the_grid_spacing()
    {
        var manifest = ModelPackageTests.SmallManifest();
        using var net = new UNet(manifest.NetworkOptions());
        var package = await ModelPackage.SaveAsync(folder, manifest, net, CancellationToken.None);
        var grid = new ImageGeometry((10, 10, 10), (0.7, 0.7, 2.5), (0, 0, 0), ImageGeometry.IdentityDirection);

        var steps = package.RecommendedPostProcessing(grid);

        Assert.Equal(4, steps.Count);
        Assert.All(steps.Values, s =>
        {
            Assert.Equal(2.0, s.ClosingMillimetres);
            Assert.Equal(0, s.ClosingRadius); // no voxel radius sized by the finest spacing any more
            Assert.True(s.KeepLargestComponent);
            Assert.True(s.FillHoles);
        });
    }
}
