namespace Agent.Inference.Training;

/// <summary>How to train. Defaults follow nnU-Net where it matters (Dice+CE, poly LR, 1/3 foreground patches).</summary>
public sealed record TrainingOptions
{
    /// <summary>Checkpoints, report, plot and the final model package go here.</summary>
    public required string OutputDirectory { get; init; }
    public int Epochs { get; init; } = 50;
    public int IterationsPerEpoch { get; init; } = 100;
    public int BatchSize { get; init; } = 2;

    /// <summary>"adamw" or "sgd" (momentum 0.99, Nesterov).</summary>
    public string Optimizer { get; init; } = "adamw";
    public double LearningRate { get; init; } = 1e-3;
    public double WeightDecay { get; init; } = 3e-5;

    /// <summary>Share of patches centred on a random foreground voxel (the rest are placed uniformly).</summary>
    public double ForegroundFraction { get; init; } = 1.0 / 3;
    public bool Augment { get; init; } = true;

    /// <summary>
    /// Random flips in augmentation (X flips swap left/right labels). Off for anatomy with a fixed layout in canonical
    /// orientation (liver right, spleen left): a flipped body teaches nothing and makes left/right a guess from context.
    /// </summary>
    public bool Mirror { get; init; } = true;

    /// <summary>Continue from the last checkpoint in <see cref="OutputDirectory"/> when there is one.</summary>
    public bool Resume { get; init; } = true;
    public int Seed { get; init; } = 1;
    public string Device { get; init; } = "auto";

    /// <summary>Validate every N epochs (and always after the last).</summary>
    public int ValidateEvery { get; init; } = 1;

    public void Validate()
    {
        if (Epochs is < 1 or > 100_000) throw new ArgumentException($"epochs must be 1-100000, got {Epochs}");
        if (IterationsPerEpoch is < 1 or > 1_000_000) throw new ArgumentException($"iterations per epoch must be 1-1000000, got {IterationsPerEpoch}");
        if (BatchSize is < 1 or > 256) throw new ArgumentException($"batch size must be 1-256, got {BatchSize}");
        if (Optimizer is not ("adamw" or "sgd")) throw new ArgumentException($"optimizer must be adamw or sgd, got '{Optimizer}'");
        if (LearningRate is <= 0 or > 10) throw new ArgumentException($"learning rate must be in (0, 10], got {LearningRate}");
        if (ForegroundFraction is < 0 or > 1) throw new ArgumentException($"foreground fraction must be 0-1, got {ForegroundFraction}");
        if (ValidateEvery < 1) throw new ArgumentException("validate-every must be at least 1");
    }
}

/// <summary>Reported after every iteration (Iteration > 0) and at the end of each epoch (with validation Dice).</summary>
public sealed record TrainingProgress(
    int Epoch,
    int Epochs,
    int Iteration,
    int IterationsPerEpoch,
    double Loss,
    double LearningRate,
    IReadOnlyDictionary<string, double>? ValidationDice);

/// <summary>One line of the learning curves.</summary>
public sealed record EpochRecord(int Epoch, double TrainLoss, double LearningRate, double Seconds, IReadOnlyDictionary<string, double>? ValidationDice)
{
    public double? MeanDice => ValidationDice is { Count: > 0 } d ? d.Values.Average() : null;
}

public sealed record TrainingResult(
    string PackageDirectory,
    IReadOnlyList<EpochRecord> History,
    int BestEpoch,
    IReadOnlyDictionary<string, double> BestValidationDice,
    string ReportPath,
    string PlotPath);
