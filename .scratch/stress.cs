#:project /work/main/src/Agent.Inference/Agent.Inference.csproj
#:property TreatWarningsAsErrors=false
#:property AnalysisLevel=none
#:property EnableNETAnalyzers=false
using Agent.Imaging;
using Agent.Inference.Packages;
using Agent.Inference.Training;
using Agent.Inference;

static TrainingCase BlobCase(int seed)
{
    var rng = new Random(seed);
    var g = new ImageGeometry((28, 28, 20), (2, 2, 2), (0, 0, 0), ImageGeometry.IdentityDirection);
    var image = new Volume(g);
    var labels = new LabelVolume(g);
    int bx = rng.Next(9, 19), by = rng.Next(9, 19), bz = rng.Next(8, 12), r = rng.Next(5, 8);
    int sx = rng.Next(1, 19), sy = rng.Next(1, 19), sz = rng.Next(1, 11);
    for (int z = 0; z < 20; z++) for (int y = 0; y < 28; y++) for (int x = 0; x < 28; x++)
    {
        float hu = -50 + (float)(rng.NextDouble() * 40 - 20);
        byte l = 0;
        if (x >= sx && x < sx + 8 && y >= sy && y < sy + 8 && z >= sz && z < sz + 8) { hu += 300; l = 2; }
        if ((x - bx) * (x - bx) + (y - by) * (y - by) + (z - bz) * (z - bz) <= r * r) { hu = 100 + (float)(rng.NextDouble() * 40 - 20); l = 1; }
        image.At(x, y, z) = hu; labels.At(x, y, z) = l;
    }
    return new TrainingCase($"blob-{seed}", image, labels);
}
var manifest = new ModelManifest {
        Name = "test-model", Version = "0.1.0",
        Architecture = new ArchitectureSpec { Features = [8, 16, 32] }, Modality = "CT", TargetSpacing = [2, 2, 2],
        Normalization = new NormalizationSpec { Scheme = "ct", Window = [-200, 300], Mean = 50, Std = 100 },
        PatchSize = [16, 16, 16], Weights = new WeightsSpec { File = "weights.dat", Sha256 = new string('0', 64) },
        Labels = AbdomenLabels.All.Take(2).ToArray() };
int fails = 0;
int runs = int.Parse(args.Length > 0 ? args[0] : "20");
for (int run = 0; run < runs; run++)
{
    var dir = Directory.CreateTempSubdirectory("nan-").FullName;
    var prog = new List<TrainingProgress>();
    try
    {
        var trainer = new Trainer(manifest, new TrainingOptions { OutputDirectory = dir, Epochs = 6, IterationsPerEpoch = 8, BatchSize = 2, LearningRate = 3e-3, ForegroundFraction = 0.5, Device = "cpu", Seed = run }, new P(prog));
        var r = await trainer.TrainAsync(Enumerable.Range(1, 4).Select(BlobCase).ToArray(), new[] { BlobCase(100) }, CancellationToken.None);
        Console.WriteLine($"run {run}: ok final loss {r.History[^1].TrainLoss:F3}");
    }
    catch (Exception e)
    {
        fails++;
        var bad = prog.FirstOrDefault(p => !double.IsFinite(p.Loss));
        Console.WriteLine($"run {run}: FAIL {e.GetType().Name} first bad {bad} ");
    }
    Directory.Delete(dir, true);
}
Console.WriteLine($"fails {fails}/{runs}");
sealed class P(List<TrainingProgress> s) : IProgress<TrainingProgress> { public void Report(TrainingProgress v) { lock (s) s.Add(v); } }
