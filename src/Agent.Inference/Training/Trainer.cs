using System.Diagnostics;
using System.Text.Json;
using Agent.Inference.Models;
using Agent.Inference.Packages;
using Agent.Inference.SlidingWindow;
using TorchSharp;
using static TorchSharp.torch;

namespace Agent.Inference.Training;

/// <summary>
/// Trains a U-Net described by a manifest template on labelled volumes: foreground-biased patches, augmentation,
/// Dice+CE, AdamW/SGD with poly learning-rate decay, validation Dice per label per epoch, a checkpoint every epoch
/// (resumable), and at the end a model package with the best epoch's weights plus a report and learning-curve plot.
/// </summary>
public sealed class Trainer
{
    private const string StateFile = "training-state.json";
    private const string LastWeights = "checkpoint-last.dat";
    private const string LastOptimizer = "optimizer-last.dat";
    private const string BestWeights = "checkpoint-best.dat";
    public const string PackageFolder = "package";

    private readonly ModelManifest manifest;
    private readonly TrainingOptions options;
    private readonly IProgress<TrainingProgress>? progress;

    /// <param name="manifest">Everything but the weights' checksum, which is filled in when the package is written.</param>
    public Trainer(ModelManifest manifest, TrainingOptions options, IProgress<TrainingProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        manifest.NetworkOptions().Validate();
        this.manifest = manifest;
        this.options = options;
        this.progress = progress;
    }

    public Task<TrainingResult> TrainAsync(IReadOnlyList<TrainingCase> training, IReadOnlyList<TrainingCase> validation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(validation);
        if (training.Count == 0) throw new ArgumentException("no training cases", nameof(training));
        // CPU-heavy libtorch work: run it off the caller's thread.
        return Task.Run(() => TrainCoreAsync(training, validation, cancellationToken), cancellationToken);
    }

    private async Task<TrainingResult> TrainCoreAsync(IReadOnlyList<TrainingCase> training, IReadOnlyList<TrainingCase> validation, CancellationToken ct)
    {
        InferenceDevice.ConfigureThreads();
        var device = InferenceDevice.Resolve(options.Device);
        var outDir = Directory.CreateDirectory(options.OutputDirectory).FullName;
        var prepRng = new Random(options.Seed);
        var train = training.Select(c => PreparedCase.Create(c, manifest, prepRng)).ToArray();
        var val = validation.Select(c => PreparedCase.Create(c, manifest, prepRng)).ToArray();
        var netOptions = manifest.NetworkOptions();
        int classes = netOptions.Classes;
        var patch = (manifest.PatchSize[0], manifest.PatchSize[1], manifest.PatchSize[2]);

        // The run's own generator: libtorch's global one is shared with everything else in the process.
        using var generator = new Generator((ulong)TrainingSeed.TorchForEpoch(options.Seed, 0), device);
        using var net = new UNet(netOptions);
        using (var initial = new Generator((ulong)options.Seed, CPU)) SeededInitialization.Apply(net, initial);
        net.to(device);
        using var optimizer = CreateOptimizer(net);
        var state = new TrainingState();
        var statePath = Path.Combine(outDir, StateFile);
        if (options.Resume && File.Exists(statePath) && File.Exists(Path.Combine(outDir, LastWeights)))
        {
            state = JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(statePath), ModelPackage.Json) ?? new TrainingState();
            net.load(Path.Combine(outDir, LastWeights));
            if (File.Exists(Path.Combine(outDir, LastOptimizer))) optimizer.load_state_dict(Path.Combine(outDir, LastOptimizer));
        }

        var swap = Augmenter.LateralSwapTable(manifest.Labels);
        for (int epoch = state.CompletedEpochs + 1; epoch <= options.Epochs; epoch++)
        {
            ct.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            var rng = new Random(TrainingSeed.ForEpoch(options.Seed, epoch));
            generator.manual_seed(TrainingSeed.TorchForEpoch(options.Seed, epoch));
            double lr = options.LearningRate * Math.Pow(1 - (epoch - 1.0) / options.Epochs, 0.9);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;

            var sampler = new PatchSampler(train, patch, options.ForegroundFraction, rng);
            var augmenter = new Augmenter(rng, generator, netOptions.Dimensions, swap, options.Mirror);
            net.train();
            double lossSum = 0;
            for (int it = 1; it <= options.IterationsPerEpoch; it++)
            {
                ct.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var samples = Enumerable.Range(0, options.BatchSize).Select(_ => sampler.Next()).ToArray();
                var images = stack(samples.Select(s => s.Image).ToArray()).to(device);
                var labels = stack(samples.Select(s => s.Labels).ToArray()).to(device);
                if (options.Augment) (images, labels) = augmenter.Apply(images, labels);
                if (netOptions.Dimensions == 2)
                {
                    images = images.squeeze(2);
                    labels = labels.squeeze(1);
                }
                var outputs = net.ForwardAll(images, includeDeepSupervision: netOptions.DeepSupervision);
                var loss = DiceCeLoss.Compute(outputs, labels, classes);
                double value = loss.item<float>();
                if (!double.IsFinite(value))
                    throw new TrainingDivergedException(epoch, it, $"the loss is {value}; {NonFiniteReport.Describe(images, outputs, net)}");
                optimizer.zero_grad();
                loss.backward();
                double gradientNorm = nn.utils.clip_grad_norm_(net.parameters(), 12);
                if (!double.IsFinite(gradientNorm))
                    throw new TrainingDivergedException(epoch, it, $"the gradient norm is {gradientNorm} (loss {value}); {NonFiniteReport.Describe(images, outputs, net)}");
                optimizer.step();
                lossSum += value;
                progress?.Report(new TrainingProgress(epoch, options.Epochs, it, options.IterationsPerEpoch, value, lr, null));
            }

            Dictionary<string, double>? dice = null;
            if (val.Length > 0 && (epoch % options.ValidateEvery == 0 || epoch == options.Epochs))
            {
                dice = Validate(net, val, device, ct);
            }
            var record = new EpochRecord(epoch, lossSum / options.IterationsPerEpoch, lr, clock.Elapsed.TotalSeconds, dice);
            state.History.Add(record);
            state.CompletedEpochs = epoch;
            bool improved = record.MeanDice is double m && m > state.BestMeanDice;
            if (improved || (val.Length == 0))
            {
                state.BestMeanDice = record.MeanDice ?? state.BestMeanDice;
                state.BestEpoch = epoch;
                SaveAtomically(net, Path.Combine(outDir, BestWeights));
            }
            SaveAtomically(net, Path.Combine(outDir, LastWeights));
            optimizer.save_state_dict(Path.Combine(outDir, LastOptimizer));
            File.WriteAllText(statePath + ".tmp", JsonSerializer.Serialize(state, ModelPackage.Json));
            File.Move(statePath + ".tmp", statePath, overwrite: true);
            progress?.Report(new TrainingProgress(epoch, options.Epochs, 0, options.IterationsPerEpoch, record.TrainLoss, lr, dice));
        }

        // No validation has run yet (e.g. resumed with fewer epochs than validated at): the last weights are the best known.
        var bestPath = Path.Combine(outDir, BestWeights);
        net.load(File.Exists(bestPath) ? bestPath : Path.Combine(outDir, LastWeights));
        var package = await ModelPackage.SaveAsync(Path.Combine(outDir, PackageFolder), manifest, net, ct).ConfigureAwait(false);
        var best = state.History.FirstOrDefault(h => h.Epoch == state.BestEpoch)?.ValidationDice ?? new Dictionary<string, double>();
        var report = TrainingReport.Write(outDir, manifest, state.History, state.BestEpoch);
        var plot = LearningCurvePlot.Write(Path.Combine(outDir, "learning-curves.png"), state.History, manifest.Labels.Select(l => l.Name).ToArray());
        return new TrainingResult(package.Folder, state.History, state.BestEpoch, best, report, plot);
    }

    private TorchSharp.Modules.OptimizerHelper CreateOptimizer(UNet net) => options.Optimizer == "sgd"
        ? optim.SGD(net.parameters(), options.LearningRate, momentum: 0.99, weight_decay: options.WeightDecay, nesterov: true)
        : optim.AdamW(net.parameters(), options.LearningRate, weight_decay: options.WeightDecay);

    private Dictionary<string, double> Validate(UNet net, PreparedCase[] cases, Device device, CancellationToken ct)
    {
        net.eval();
        var window = new SlidingWindowOptions
        {
            PatchSize = (manifest.PatchSize[0], manifest.PatchSize[1], manifest.PatchSize[2]),
            Overlap = manifest.Inference.Overlap,
            BatchSize = manifest.Inference.BatchSize,
        };
        int classes = manifest.Labels.Count + 1;
        var inter = new long[classes];
        var sizes = new long[classes];
        Func<Tensor, Tensor> logits = net.Options.Dimensions == 3
            ? net.forward
            : batch => net.forward(batch.squeeze(2)).unsqueeze(2);
        foreach (var c in cases)
        {
            var predicted = SlidingWindowPredictor.Predict(c.ValidationImage, logits, classes, window, device, ct).ArgMax().Labels;
            var truth = c.ValidationLabels.Labels;
            for (long i = 0; i < truth.LongLength; i++)
            {
                sizes[predicted[i]]++;
                sizes[truth[i]]++;
                if (predicted[i] == truth[i]) inter[truth[i]]++;
            }
        }
        // Dice pooled over the validation cases per label; 1 when a label is absent from both.
        return manifest.Labels.ToDictionary(l => l.Name, l => sizes[l.Value] == 0 ? 1.0 : 2.0 * inter[l.Value] / sizes[l.Value]);
    }

    private static void SaveAtomically(UNet net, string path)
    {
        net.save(path + ".tmp");
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
