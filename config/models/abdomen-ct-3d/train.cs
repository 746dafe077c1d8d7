#:project ../../../src/Agent.Inference/Agent.Inference.csproj
// Retrains the bundled abdominal CT model on synthetic phantoms, in one command from the repository root:
//
//   dotnet run config/models/abdomen-ct-3d/train.cs -- [--epochs 200] [--iterations 60] [--train 48] [--validation 4]
//       [--validate-every 20] [--work DIR] [--out DIR]      (re-running with the same --work resumes)
//   dotnet run config/models/abdomen-ct-3d/train.cs -- --evaluate [--matrix 512] [--model DIR]   (held-out Dice per organ)
//   dotnet run config/models/abdomen-ct-3d/train.cs -- --dimensions 2 --out DIR   (the slice-wise 2D comparison model)
//
// Training phantoms use seeds 1..N, validation 1001..1004, evaluation 2001..2004 (never used in training; --seeds).
// The package (model.json, weights.dat), report.md and learning-curves.png are written next to this file.
using System.Diagnostics;
using System.Globalization;
using Agent.Imaging.Phantom;
using Agent.Imaging.Postprocessing;
using Agent.Inference;
using Agent.Inference.Packages;
using Agent.Inference.Training;

string Option(string name, string fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
int IntOption(string name, int fallback) => int.Parse(Option(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

var here = Path.GetFullPath(Path.Combine("config", "models", "abdomen-ct-3d"));
if (!File.Exists(Path.Combine(here, "train.cs"))) throw new InvalidOperationException("run from the repository root");

if (args.Contains("--evaluate")) return await Evaluate();
// --out writes the package elsewhere (e.g. a smoke run that must not replace the bundled weights).
int dimensions = IntOption("--dimensions", 3);
if (dimensions != 3 && !args.Contains("--out")) throw new ArgumentException("--dimensions 2 needs --out: the bundled package is the 3D model");
var destination = Path.GetFullPath(Option("--out", here));
Directory.CreateDirectory(destination);

int epochs = IntOption("--epochs", 200), iterations = IntOption("--iterations", 60), trainCount = IntOption("--train", 48);
int validateEvery = IntOption("--validate-every", 20), validationCount = IntOption("--validation", 4);
var work = Option("--work", Path.Combine(Path.GetTempPath(), $"abdomen-ct-{dimensions}d-training"));

// Coarse phantoms (3 mm pixels, 3-5 mm slices) keep generation and training cheap; the model works at 3x3x4 mm anyway.
TrainingCase Phantom(int seed)
{
    var rng = new Random(seed * 7919);
    var p = PhantomGenerator.Generate(new PhantomOptions
    {
        Seed = seed, Matrix = 144, PixelSpacing = 2.6 + rng.NextDouble() * 0.8, SliceSpacing = 3 + rng.NextDouble() * 2, CreateDicom = false,
    });
    return new TrainingCase($"phantom_{seed:D4}", p.Image, p.Labels);
}

// The 2D variant sees one axial slice at a time on the same grid, so the two compare like for like.
var manifest = new ModelManifest
{
    Name = $"abdomen-ct-{dimensions}d",
    Version = "0.1.0",
    Description = $"{dimensions}D U-Net for liver, spleen, left and right kidney on abdominal CT; trained on synthetic phantoms only (not for clinical use).",
    Architecture = dimensions == 3
        ? new ArchitectureSpec { Dimensions = 3, Features = [8, 16, 32, 64] }
        : new ArchitectureSpec { Dimensions = 2, Features = [16, 32, 64, 128] },
    Modality = "CT",
    TargetSpacing = [3, 3, 4],
    Normalization = new NormalizationSpec { Scheme = "ct", Window = [-200, 300], Mean = 50, Std = 125 },
    PatchSize = dimensions == 3 ? [64, 64, 32] : [128, 128, 1],
    Inference = new InferenceSpec { Overlap = 0.5, BatchSize = 2 },
    Weights = new WeightsSpec { File = "weights.dat", Sha256 = new string('0', 64) },
    Labels = AbdomenLabels.All,
};

var clock = Stopwatch.StartNew();
Console.WriteLine($"generating {trainCount} training + {validationCount} validation phantoms...");
var train = Enumerable.Range(1, trainCount).AsParallel().AsOrdered().Select(Phantom).ToArray();
var validation = Enumerable.Range(1001, validationCount).Select(Phantom).ToArray();
Console.WriteLine($"  {clock.Elapsed.TotalSeconds:F0} s");

var progress = new Progress<TrainingProgress>(p =>
{
    if (p.Iteration == 0)
    {
        var dice = p.ValidationDice is null ? "" : string.Join(" ", p.ValidationDice.Select(kv => $"{kv.Key} {kv.Value:F3}"));
        Console.WriteLine($"epoch {p.Epoch}/{p.Epochs} loss {p.Loss:F4} lr {p.LearningRate:G3} {dice} ({clock.Elapsed.TotalMinutes:F1} min)");
    }
});
var result = await new Trainer(manifest, new TrainingOptions
{
    OutputDirectory = work, Epochs = epochs, IterationsPerEpoch = iterations, BatchSize = dimensions == 3 ? 2 : 16, LearningRate = 3e-3, Seed = 1, Device = "auto", ValidateEvery = validateEvery,
    Mirror = false, ForegroundFraction = 0.5,
}, progress).TrainAsync(train, validation, CancellationToken.None);

foreach (var f in new[] { "model.json", "weights.dat" }) File.Copy(Path.Combine(result.PackageDirectory, f), Path.Combine(destination, f), overwrite: true);
File.Copy(result.ReportPath, Path.Combine(destination, "report.md"), overwrite: true);
File.Copy(result.PlotPath, Path.Combine(destination, "learning-curves.png"), overwrite: true);
Console.WriteLine($"best epoch {result.BestEpoch}: " + string.Join(" ", result.BestValidationDice.Select(kv => $"{kv.Key} {kv.Value:F3}")));
return 0;

async Task<int> Evaluate()
{
    int matrix = IntOption("--matrix", 512);
    var seeds = Option("--seeds", "2001,2002,2003,2004").Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray();
    var package = await ModelPackage.LoadAsync(Path.GetFullPath(Option("--model", here)), CancellationToken.None);
    using var gate = new DeviceGate(1);
    using var model = SegmentationModel.Create(package, InferenceDevice.Resolve("auto"), gate);
    Console.WriteLine($"model {package.Manifest.Name} {package.Manifest.Version} sha256 {package.WeightsSha256}");
    Console.WriteLine("| spacing (mm) | seed | liver | spleen | kidney_left | kidney_right | seconds |");
    Console.WriteLine("|---|---|---|---|---|---|---|");
    foreach (var (pixel, slice) in new[] { (0.8, 3.0), (0.7, 0.5) })
    {
        var spacing = $"{pixel * 512 / matrix:F2}x{pixel * 512 / matrix:F2}x{slice}";
        var rows = new List<double[]>();
        foreach (var seed in seeds)
        {
            var phantom = PhantomGenerator.Generate(new PhantomOptions { Seed = seed, Matrix = matrix, PixelSpacing = pixel * 512 / matrix, SliceSpacing = slice, CreateDicom = false });
            var clock = Stopwatch.StartNew();
            var labels = await model.SegmentAsync(phantom.Image, postProcess: true, CancellationToken.None);
            var seconds = clock.Elapsed.TotalSeconds;
            var dice = Enumerable.Range(1, 4).Select(l => LabelMetrics.Dice(labels, phantom.Labels, (byte)l)).ToArray();
            rows.Add([.. dice, seconds]);
            Console.WriteLine($"| {spacing} | {seed} ({phantom.Scan.Position}, {phantom.Scan.Phase}) | {string.Join(" | ", dice.Select(F3))} | {seconds:F0} |");
        }
        // The acceptance figure: per organ, the mean over the held-out phantoms (and the worst one beside it).
        Console.WriteLine($"| {spacing} | **mean** (min) | {string.Join(" | ", Enumerable.Range(0, 4).Select(i => $"**{F3(rows.Average(r => r[i]))}** ({F3(rows.Min(r => r[i]))})"))} | {rows.Average(r => r[4]):F0} |");
    }
    return 0;
}

static string F3(double v) => v.ToString("F3", CultureInfo.InvariantCulture);
