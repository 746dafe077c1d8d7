using System.Text.Json;
using Agent.Host.Cli;
using Agent.Imaging.Phantom;
using Agent.Inference.Packages;

namespace Agent.Host.Tests;

public sealed class TrainCommandTests
{
    [Fact]
    public async Task Train_on_a_phantom_dataset_writes_a_model_package_that_segment_can_load()
    {
        using var home = new TempHome();
        var data = Path.Combine(home.Path, "msd");
        await MsdDatasetWriter.WritePhantomsAsync(data, [1, 2, 3, 4, 5], new PhantomOptions { Matrix = 64, CreateDicom = false }, null, CancellationToken.None);
        var template = await WriteTemplateAsync(home.Path);

        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(["train", data, "--manifest", template, "--out", Path.Combine(home.Path, "run"),
                "--epochs", "1", "--iterations", "2", "--batch", "1", "--device", "cpu", "--no-mirror"],
            new CliContext { Out = output, Error = error, Environment = new Dictionary<string, string?>() }, CancellationToken.None);

        Assert.True(code == ExitCodes.Ok, error.ToString() + output);
        Assert.Contains("training on 4 case(s), validating on 1", output.ToString(), StringComparison.Ordinal);
        var package = await ModelPackage.LoadAsync(Path.Combine(home.Path, "run", "package"), CancellationToken.None);
        Assert.Equal("tiny-trained", package.Manifest.Name);
    }

    [Fact]
    public async Task Two_processes_training_with_one_seed_write_bit_identical_losses()
    {
        using var home = new TempHome();
        var data = Path.Combine(home.Path, "msd");
        await MsdDatasetWriter.WritePhantomsAsync(data, [1, 2, 3], new PhantomOptions { Matrix = 64, CreateDicom = false }, null, CancellationToken.None);
        var template = await WriteTemplateAsync(home.Path);

        async Task<string> TrainInProcessAsync(string name)
        {
            var folder = Path.Combine(home.Path, name);
            await using var agent = AgentProcess.Start(home.Path, null, "train", data, "--manifest", template, "--out", folder,
                "--epochs", "2", "--iterations", "3", "--batch", "2", "--device", "cpu", "--seed", "11");
            Assert.True(await agent.WaitForExitAsync(TimeSpan.FromMinutes(5)) == ExitCodes.Ok, agent.Output);
            using var state = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "training-state.json")));
            // The JSON writer prints the shortest text that parses back to the same double: equal text, equal bits.
            return string.Join(" ", state.RootElement.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("trainLoss").GetRawText()));
        }

        var first = await TrainInProcessAsync("first");
        var second = await TrainInProcessAsync("second");

        Assert.Equal(2, first.Split(' ').Length);
        Assert.Equal(first, second);
    }

    private static async Task<string> WriteTemplateAsync(string folder)
    {
        var manifest = new ModelManifest
        {
            Name = "tiny-trained",
            Version = "0.0.1",
            Architecture = new ArchitectureSpec { Dimensions = 3, Features = [4, 8] },
            Modality = "CT",
            TargetSpacing = [8, 8, 8],
            Normalization = new NormalizationSpec { Scheme = "ct", Window = [-200, 300], Mean = 50, Std = 100 },
            PatchSize = [16, 16, 16],
            Weights = new WeightsSpec { File = "weights.dat", Sha256 = new string('0', 64) },
            Labels = AbdomenLabels.All,
        };
        var template = Path.Combine(folder, "template.json");
        await File.WriteAllTextAsync(template, JsonSerializer.Serialize(manifest, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
        return template;
    }
}
