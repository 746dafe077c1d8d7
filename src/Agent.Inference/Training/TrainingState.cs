namespace Agent.Inference.Training;

/// <summary>What a resumed training needs besides the weights and optimizer files: training-state.json.</summary>
internal sealed class TrainingState
{
    public int CompletedEpochs { get; set; }
    public int BestEpoch { get; set; }
    public double BestMeanDice { get; set; } = -1;
    public List<EpochRecord> History { get; set; } = [];
}
