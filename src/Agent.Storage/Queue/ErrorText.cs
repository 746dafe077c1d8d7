namespace Agent.Storage.Queue;

/// <summary>Bounds error texts stored in the queues (an exception message can be arbitrarily long).</summary>
internal static class ErrorText
{
    public const int MaxLength = 4000;

    public static string? Bound(string? text) =>
        text is null || text.Length <= MaxLength ? text : string.Concat(text.AsSpan(0, MaxLength - 1), "…");
}
