namespace Agent.Inference.SlidingWindow;

/// <summary>
/// The model produced NaN or infinity for part of a volume. Its arg-max would still look like a segmentation, so the
/// run stops instead of writing one: a result is either computed from finite probabilities or not produced.
/// </summary>
public sealed class NonFiniteOutputException(string message) : Exception(message);
