using Agent.Imaging;

namespace Agent.Inference.Training;

/// <summary>One training or validation example: an intensity volume (HU for CT) and its label map on the same grid.</summary>
public sealed record TrainingCase(string Id, Volume Image, LabelVolume Labels);
