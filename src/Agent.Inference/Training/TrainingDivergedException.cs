namespace Agent.Inference.Training;

/// <summary>
/// Training met a non-finite value (NaN or infinity). Thrown before the optimiser applies it, so the checkpoints on
/// disk stay those of the last good epoch and a resumed run starts from finite weights.
/// </summary>
public sealed class TrainingDivergedException(int epoch, int iteration, string detail)
    : Exception($"training stopped at epoch {epoch}, iteration {iteration}: {detail}")
{
    public int Epoch { get; } = epoch;
    public int Iteration { get; } = iteration;
}
