using System.Text.Json.Nodes;
using Agent.Imaging;
using Agent.Inference.Models;
using Agent.Inference.Packages;
using static TorchSharp.torch;

namespace Agent.Inference.Tests;

public sealed class ModelPackageTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("infer-pkg-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    internal static ModelManifest SmallManifest(int dimensions = 3) => new()
    {
        Name = "test-model",
        Version = "0.1.0",
        Architecture = new ArchitectureSpec { Dimensions = dimensions, Features = [4, 8] },
        Modality = "CT",
        TargetSpacing = [2, 2, 2],
        Normalization = new NormalizationSpec { Scheme = "ct", Window = [-200, 300], Mean = 50, Std = 100 },
        PatchSize = dimensions == 3 ? [8, 8, 8] : [8, 8, 1],
        Weights = new WeightsSpec { File = "weights.dat", Sha256 = new string('0', 64) },
        Labels = AbdomenLabels.All,
    };

    private async Task<(ModelPackage Package, UNet Net)> SaveSmallAsync()
    {
        var manifest = SmallManifest();
        var net = new UNet(manifest.NetworkOptions());
        return (await ModelPackage.SaveAsync(folder, manifest, net, CancellationToken.None), net);
    }

    [Fact]
    public async Task A_saved_package_loads_with_its_checksum_verified_and_predicts_like_the_original()
    {
        var (saved, original) = await SaveSmallAsync();
        using var _ = original;

        var loaded = await ModelPackage.LoadAsync(folder, CancellationToken.None);
        using var net = loaded.CreateNetwork(CPU);

        Assert.Equal(saved.WeightsSha256, loaded.WeightsSha256);
        Assert.Equal(64, loaded.WeightsSha256.Length);
        Assert.Equal("Liver", loaded.Manifest.Labels[0].Type.Meaning);
        Assert.Equal("7771000", loaded.Manifest.Labels[2].Laterality!.Code);
        original.eval();
        using var x = randn(new long[] { 1, 1, 8, 8, 8 });
        using var a = original.forward(x);
        using var b = net.forward(x);
        Assert.True(allclose(a, b, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public async Task Weights_that_do_not_match_the_manifest_checksum_are_refused()
    {
        var (_, net) = await SaveSmallAsync();
        net.Dispose();
        var weights = Path.Combine(folder, "weights.dat");
        var bytes = await File.ReadAllBytesAsync(weights);
        bytes[^1] ^= 0x55;
        await File.WriteAllBytesAsync(weights, bytes);

        var ex = await Assert.ThrowsAsync<ModelPackageException>(() => ModelPackage.LoadAsync(folder, CancellationToken.None));
        Assert.Contains("does not match weights.sha256", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_manifest_problem_is_reported_with_its_json_path()
    {
        var (_, net) = await SaveSmallAsync();
        net.Dispose();
        var path = Path.Combine(folder, ModelPackage.ManifestFileName);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        json["patchSize"] = new JsonArray(7, 8, 8);
        json["labels"]![1]!["value"] = 7;
        json["modality"] = "PT";
        await File.WriteAllTextAsync(path, json.ToJsonString());

        var ex = await Assert.ThrowsAsync<ModelPackageException>(() => ModelPackage.LoadAsync(folder, CancellationToken.None));
        Assert.Contains("patchSize: X = 7 must be a multiple of the network's down-sampling 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("labels[1].value: must be 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("modality: must be CT or MR", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_misspelt_manifest_key_is_an_error_not_silently_ignored()
    {
        var (_, net) = await SaveSmallAsync();
        net.Dispose();
        var path = Path.Combine(folder, ModelPackage.ManifestFileName);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        json["targetSpacng"] = new JsonArray(1, 1, 1);
        await File.WriteAllTextAsync(path, json.ToJsonString());

        var ex = await Assert.ThrowsAsync<ModelPackageException>(() => ModelPackage.LoadAsync(folder, CancellationToken.None));
        Assert.Contains("targetSpacng", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_weights_file_outside_the_package_folder_is_refused()
    {
        var (_, net) = await SaveSmallAsync();
        net.Dispose();
        var path = Path.Combine(folder, ModelPackage.ManifestFileName);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        json["weights"]!["file"] = "../../etc/passwd";
        await File.WriteAllTextAsync(path, json.ToJsonString());

        var ex = await Assert.ThrowsAsync<ModelPackageException>(() => ModelPackage.LoadAsync(folder, CancellationToken.None));
        Assert.Contains("weights.file: must be a plain file name", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_loaded_model_segments_a_volume_on_its_own_grid_through_the_device_gate()
    {
        var (_, net) = await SaveSmallAsync();
        net.Dispose();
        var package = await ModelPackage.LoadAsync(folder, CancellationToken.None);
        using var gate = new DeviceGate(1);
        using var model = SegmentationModel.Create(package, InferenceDevice.Resolve("auto"), gate);
        var input = new Volume(new ImageGeometry((20, 18, 10), (0.8, 0.8, 3), (-10, 5, 7), ImageGeometry.IdentityDirection));

        var grid = model.ModelGrid(input.Geometry);
        var labels = await model.SegmentAsync(input, postProcess: true, CancellationToken.None);

        Assert.Equal((8, 7, 15), grid.Size);
        Assert.Equal(input.Geometry, labels.Geometry);
        Assert.All(labels.Labels, l => Assert.InRange(l, (byte)0, (byte)4));
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("auto")]
    public void Configured_devices_resolve_to_the_CPU_on_a_machine_without_CUDA(string setting)
    {
        Assert.Equal(TorchSharp.DeviceType.CPU, InferenceDevice.Resolve(setting).type);
    }

    [Theory]
    [InlineData("cuda:0", "CUDA is not available")]
    [InlineData("gpu", "expected auto, cpu, cuda or cuda:N")]
    [InlineData("cuda:x", "expected cuda:N")]
    public void Unusable_device_settings_are_explained(string setting, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => InferenceDevice.Resolve(setting));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }
}

public sealed class ModelGridTests
{
    [Fact]
    public void A_feet_first_scan_is_put_on_a_canonical_model_grid_covering_the_same_patient_space()
    {
        // FFS: rows run to the patient's right (-x), slices towards the feet (-z).
        var ffs = new ImageGeometry((100, 80, 30), (0.8, 0.8, 3), (40, -30, 200), [-1, 0, 0, 0, 1, 0, 0, 0, -1]);
        var manifest = ModelPackageTests.SmallManifest();   // target spacing 2 mm

        var grid = SegmentationModel.ModelGridFor(ffs, manifest);

        Assert.Equal(ImageGeometry.IdentityDirection, grid.Direction);
        Assert.Equal((2.0, 2.0, 2.0), grid.Spacing);
        Assert.Equal((40, 32, 45), grid.Size);
        // Same box: the FFS scan spans x in [40 - 99*0.8, 40] and z in [200 - 29*3, 200] (voxel centres).
        var first = grid.IndexToPatient(0, 0, 0);
        var last = grid.IndexToPatient(grid.Size.X - 1, grid.Size.Y - 1, grid.Size.Z - 1);
        Assert.InRange(first.X, 40 - 99 * 0.8 - 1, 40 - 99 * 0.8 + 1);
        Assert.InRange(last.X, 39, 41);
        Assert.InRange(first.Z, 200 - 29 * 3 - 1.5, 200 - 29 * 3 + 1.5);
        Assert.InRange(last.Z, 198.5, 201.5);
    }
}
