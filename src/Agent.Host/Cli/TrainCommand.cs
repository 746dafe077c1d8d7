using System.CommandLine;
using System.Globalization;
using Agent.Inference.Packages;
using Agent.Inference.Training;

namespace Agent.Host.Cli;

/// <summary>
/// <c>agent train DATASET --manifest TEMPLATE --out FOLDER</c>: trains a U-Net on a Medical Segmentation Decathlon
/// layout (dataset.json, imagesTr, labelsTr) and writes a model package with a report and learning curves.
/// </summary>
internal static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var dataset = new Argument<DirectoryInfo>("dataset") { Description = "MSD-layout dataset folder (dataset.json, imagesTr/, labelsTr/)" };
        var manifest = new Option<FileInfo>("--manifest") { Description = "Model manifest template (architecture, spacing, patch, normalisation, labels)", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Training folder: checkpoints, report, and the package/ subfolder", Required = true };
        var epochs = new Option<int>("--epochs") { Description = "Epochs", DefaultValueFactory = _ => 50 };
        var iterations = new Option<int>("--iterations") { Description = "Iterations per epoch", DefaultValueFactory = _ => 100 };
        var batch = new Option<int>("--batch") { Description = "Patches per batch", DefaultValueFactory = _ => 2 };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda[:N]", DefaultValueFactory = _ => "auto" };
        var seed = new Option<int>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 1 };
        var noMirror = new Option<bool>("--no-mirror") { Description = "No random flips in augmentation (for anatomy with a fixed left/right layout, e.g. liver vs spleen)" };
        var command = new Command("train", "Train a segmentation model on an MSD-layout dataset and write a model package")
        {
            dataset, manifest, output, epochs, iterations, batch, device, seed, noMirror,
        };
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var data = MsdDataset.Open(parse.GetRequiredValue(dataset).FullName);
                var template = await ModelPackage.ReadManifestAsync(parse.GetRequiredValue(manifest).FullName, ct).ConfigureAwait(false);
                var options = new TrainingOptions
                {
                    OutputDirectory = parse.GetRequiredValue(output).FullName,
                    Epochs = parse.GetValue(epochs),
                    IterationsPerEpoch = parse.GetValue(iterations),
                    BatchSize = parse.GetValue(batch),
                    Device = parse.GetValue(device) ?? "auto",
                    Seed = parse.GetValue(seed),
                    Mirror = !parse.GetValue(noMirror),
                };
                try
                {
                    options.Validate();
                }
                catch (ArgumentException e)
                {
                    await context.Error.WriteLineAsync("agent train: " + e.Message).ConfigureAwait(false);
                    return ExitCodes.Usage;
                }
                var (trainIds, validationIds) = data.Split();
                var training = trainIds.Select(data.Load).ToList();
                var validation = validationIds.Select(data.Load).ToList();
                await context.Out.WriteLineAsync($"training on {training.Count} case(s), validating on {validation.Count} ({data.Name})").ConfigureAwait(false);
                var progress = new SynchronousProgress(p =>
                {
                    if (p.ValidationDice is not null || p.Iteration == p.IterationsPerEpoch)
                        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"epoch {p.Epoch}/{p.Epochs}: loss {p.Loss:F4}, lr {p.LearningRate:G3}{(p.ValidationDice is { Count: > 0 } d ? $", mean Dice {d.Values.Average():F3}" : "")}"));
                });
                var result = await new Trainer(template, options, progress).TrainAsync(training, validation, ct).ConfigureAwait(false);
                await context.Out.WriteLineAsync($"best epoch {result.BestEpoch}; package {result.PackageDirectory}; report {result.ReportPath}").ConfigureAwait(false);
                foreach (var (label, dice) in result.BestValidationDice)
                    await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {label}: Dice {dice:F3}")).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is InvalidDataException or ModelPackageException or FileNotFoundException or DirectoryNotFoundException or TrainingDivergedException)
            {
                await context.Error.WriteLineAsync("agent train: " + e.Message).ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    /// <summary>Reports on the trainer's thread (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
