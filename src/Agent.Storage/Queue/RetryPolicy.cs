namespace Agent.Storage.Queue;

/// <summary>
/// Exponential backoff between attempts: <c>min(MaxDelay, BaseDelay * 2^(attempt-1))</c>, optionally spread by
/// ±<see cref="Jitter"/> so that many jobs failing together (a destination down) do not retry in lock-step.
/// The attempt limit itself is per job (<c>max_attempts</c>), fixed when it is enqueued.
/// </summary>
public sealed record RetryPolicy
{
    /// <summary>30 s, 1 min, 2 min, ... up to 1 h, ±10%.</summary>
    public static RetryPolicy Default { get; } = new();

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Fraction (0-1) of random spread around the delay.</summary>
    public double Jitter { get; init; } = 0.1;

    /// <summary>The wait after failed attempt number <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan DelayAfter(int attempt)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var ms = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        if (Jitter > 0)
        {
            ms *= 1 + (Jitter * ((Random.Shared.NextDouble() * 2) - 1));
        }

        return TimeSpan.FromMilliseconds(Math.Max(0, ms));
    }
}
