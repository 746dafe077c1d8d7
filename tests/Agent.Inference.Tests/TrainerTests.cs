using Agent.Imaging;
using Agent.Inference.Packages;
using Agent.Inference.Training;

namespace Agent.Inference.Tests;

public sealed class TrainerTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("infer-train-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>A "liver" ball (HU 100) and a "spleen" box (HU 250) at random places in noisy soft tissue.</summary>
    internal static TrainingCase BlobCase(int seed)
    {
        var rng = new Random(seed);
        var g = new ImageGeometry((28, 28, 20), (2, 2, 2), (0, 0, 0), ImageGeometry.IdentityDirection);
        var image = new Volume(g);
        var labels = new LabelVolume(g);
        int bx = rng.Next(9, 19), by = rng.Next(9, 19), bz = rng.Next(8, 12), r = rng.Next(5, 8);
        int sx = rng.Next(1, 19), sy = rng.Next(1, 19), sz = rng.Next(1, 11);
        for (int z = 0; z < 20; z++)
        {
            for (int y = 0; y < 28; y++)
            {
                for (int x = 0; x < 28; x++)
                {
                    float hu = -50 + (float)(rng.NextDouble() * 40 - 20);
                    byte l = 0;
                    if (x >= sx && x < sx + 8 && y >= sy && y < sy + 8 && z >= sz && z < sz + 8) { hu += 300; l = 2; }
                    if ((x - bx) * (x - bx) + (y - by) * (y - by) + (z - bz) * (z - bz) <= r * r) { hu = 100 + (float)(rng.NextDouble() * 40 - 20); l = 1; }
                    image.At(x, y, z) = hu;
                    labels.At(x, y, z) = l;
                }
            }
        }
        return new TrainingCase($"blob-{seed}", image, labels);
    }

    internal static ModelManifest BlobManifest() => ModelPackageTests.SmallManifest() with
    {
        Architecture = new ArchitectureSpec { Features = [8, 16, 32] },
        PatchSize = [16, 16, 16],
        Labels = AbdomenLabels.All.Take(2).ToArray(),
    };

    [Fact]
    public async Task Training_on_simple_blobs_lowers_the_loss_and_writes_package_report_and_plot()
    {
        var progress = new List<TrainingProgress>();
        var trainer = new Trainer(BlobManifest(), new TrainingOptions
        {
            OutputDirectory = folder, Epochs = 6, IterationsPerEpoch = 8, BatchSize = 2, LearningRate = 3e-3, ForegroundFraction = 0.5, Device = "cpu",
        }, new SyncProgress(progress));
        var train = Enumerable.Range(1, 4).Select(BlobCase).ToArray();
        var val = new[] { BlobCase(100) };

        var result = await trainer.TrainAsync(train, val, CancellationToken.None);

        Assert.Equal(6, result.History.Count);
        var curve = string.Join("; ", result.History.Select(h => $"{h.Epoch}: loss {h.TrainLoss:F3} liver {h.ValidationDice!["liver"]:F2} spleen {h.ValidationDice["spleen"]:F2}"));
        // Learning happens (quality itself is measured on the bundled model, not in a unit test on a shared CPU).
        Assert.True(result.History[^1].TrainLoss < 0.85 * result.History[0].TrainLoss, curve);
        Assert.True(result.BestValidationDice.Values.Average() > 0.3, curve);
        Assert.Equal(6 * 8 + 6, progress.Count);
        Assert.True(File.Exists(result.ReportPath));
        Assert.Contains("| Dice liver | Dice spleen |", await File.ReadAllTextAsync(result.ReportPath), StringComparison.Ordinal);
        var png = await File.ReadAllBytesAsync(result.PlotPath);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png.Take(4));
        var package = await ModelPackage.LoadAsync(result.PackageDirectory, CancellationToken.None);
        Assert.Equal("torchsharp", package.Manifest.Weights.Format);
    }

    [Fact]
    public async Task Training_resumes_from_the_last_checkpoint_instead_of_starting_over()
    {
        var train = new[] { BlobCase(1), BlobCase(2) };
        var options = new TrainingOptions { OutputDirectory = folder, Epochs = 2, IterationsPerEpoch = 2, Device = "cpu" };
        var first = await new Trainer(BlobManifest(), options).TrainAsync(train, [BlobCase(3)], CancellationToken.None);

        var progress = new List<TrainingProgress>();
        var second = await new Trainer(BlobManifest(), options with { Epochs = 3 }, new SyncProgress(progress))
            .TrainAsync(train, [BlobCase(3)], CancellationToken.None);

        Assert.Equal(3, second.History.Count);
        Assert.Equal(first.History[1].TrainLoss, second.History[1].TrainLoss);
        Assert.All(progress, p => Assert.Equal(3, p.Epoch));
    }

    [Fact]
    public async Task A_2D_model_trains_on_axial_slices_and_its_package_segments_a_volume()
    {
        var manifest = BlobManifest() with
        {
            Architecture = new ArchitectureSpec { Dimensions = 2, Features = [8, 16], DeepSupervision = false },
            PatchSize = [16, 16, 1],
        };
        var result = await new Trainer(manifest, new TrainingOptions { OutputDirectory = folder, Epochs = 1, IterationsPerEpoch = 3, Device = "cpu" })
            .TrainAsync([BlobCase(1)], [BlobCase(2)], CancellationToken.None);

        var package = await ModelPackage.LoadAsync(result.PackageDirectory, CancellationToken.None);
        using var gate = new DeviceGate(2);
        using var model = SegmentationModel.Create(package, InferenceDevice.Resolve("cpu"), gate);
        var input = BlobCase(3).Image;
        var labels = await model.SegmentAsync(input, postProcess: false, CancellationToken.None);

        Assert.Equal(2, package.NetworkOptions.Dimensions);
        Assert.Equal(input.Geometry, labels.Geometry);
    }

    [Fact]
    public async Task Deep_supervision_trains_with_the_coarser_heads()
    {
        var manifest = BlobManifest() with { Architecture = new ArchitectureSpec { Features = [4, 8, 16], DeepSupervision = true } };
        var result = await new Trainer(manifest, new TrainingOptions { OutputDirectory = folder, Epochs = 1, IterationsPerEpoch = 2, Device = "cpu" })
            .TrainAsync([BlobCase(1)], [], CancellationToken.None);
        Assert.Single(result.History);
        Assert.True(double.IsFinite(result.History[0].TrainLoss));
    }

    [Fact]
    public async Task The_same_seed_gives_bit_identical_losses_and_another_seed_does_not()
    {
        var train = new[] { BlobCase(1), BlobCase(2) };
        TrainingOptions Options(string name, int seed) => new() { OutputDirectory = Path.Combine(folder, name), Epochs = 2, IterationsPerEpoch = 3, Device = "cpu", Seed = seed };

        var a = await new Trainer(BlobManifest(), Options("a", 7)).TrainAsync(train, [], CancellationToken.None);
        // Something else in the process draws from libtorch's global generator meanwhile (as other tests do).
        using var stop = new CancellationTokenSource();
        var bystander = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var noise = TorchSharp.torch.randn(64);
            }
        });
        var b = await new Trainer(BlobManifest(), Options("b", 7)).TrainAsync(train, [], CancellationToken.None);
        await stop.CancelAsync();
        await bystander;
        var c = await new Trainer(BlobManifest(), Options("c", 8)).TrainAsync(train, [], CancellationToken.None);

        Assert.Equal(a.History.Select(h => h.TrainLoss), b.History.Select(h => h.TrainLoss));
        Assert.NotEqual(a.History.Select(h => h.TrainLoss), c.History.Select(h => h.TrainLoss));
    }

    [Fact]
    public async Task A_value_that_becomes_non_finite_stops_training_naming_epoch_iteration_and_where_and_writes_no_state()
    {
        // A spread of 1e-36 HU turns finite CT values into ~1e38, near float32's limit: the first step overflows
        // (in the loss or, with instance normalisation absorbing the scale, in the gradients).
        var manifest = BlobManifest() with { Normalization = new NormalizationSpec { Scheme = "ct", Window = [-200, 300], Mean = 50, Std = 1e-36 } };
        var options = new TrainingOptions { OutputDirectory = folder, Epochs = 1, IterationsPerEpoch = 3, Device = "cpu" };

        var e = await Assert.ThrowsAsync<TrainingDivergedException>(() => new Trainer(manifest, options).TrainAsync([BlobCase(1)], [], CancellationToken.None));

        Assert.Equal(1, e.Epoch);
        Assert.Matches(@"^training stopped at epoch 1, iteration [1-3]: the (loss|gradient norm) is (NaN|-?∞|-?Infinity)", e.Message);
        Assert.Contains("the input batch is finite", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder, "training-state.json")));
        Assert.False(File.Exists(Path.Combine(folder, "checkpoint-last.dat")));
    }

    [Fact]
    public async Task A_case_with_NaN_voxels_is_refused_before_training_naming_the_case()
    {
        var bad = BlobCase(1);
        bad.Image.Voxels[100] = float.NaN;
        var options = new TrainingOptions { OutputDirectory = folder, Epochs = 1, IterationsPerEpoch = 1, Device = "cpu" };

        var e = await Assert.ThrowsAsync<ArgumentException>(() => new Trainer(BlobManifest(), options).TrainAsync([bad], [], CancellationToken.None));

        Assert.Equal("case blob-1: 1 voxel(s) of the image are NaN or infinite after resampling and normalisation", e.Message);
    }

    [Fact]
    public void Flipping_left_and_right_swaps_the_left_and_right_kidney_labels()
    {
        Assert.Equal(new long[] { 0, 1, 2, 4, 3 }, Augmenter.LateralSwapTable(AbdomenLabels.All));
    }

    private sealed class SyncProgress(List<TrainingProgress> sink) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => sink.Add(value);
    }
}
