namespace Agent.Storage.Queue;

/// <summary>A job to enqueue. Database ids (<see cref="StudyId"/>, <see cref="SeriesId"/>, <see cref="ModelId"/>) are optional links for provenance.</summary>
public sealed class JobRequest
{
    /// <summary>What kind of work ('segment', 'retrieve', ...); workers may lease only some kinds.</summary>
    public required string Kind { get; init; }

    /// <summary>
    /// Same key, same job: enqueueing an existing key returns the existing job (whatever its state) instead of
    /// creating a second one. E.g. <c>segment:{seriesUid}:{pipeline}:{modelVersion}</c>.
    /// </summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>Higher runs first; equal priorities run oldest first.</summary>
    public int Priority { get; init; }

    /// <summary>JSON object handed to the worker.</summary>
    public string PayloadJson { get; init; } = "{}";

    public long? StudyId { get; init; }

    public long? SeriesId { get; init; }

    public string? Pipeline { get; init; }

    public long? ModelId { get; init; }

    /// <summary>How many leases (attempts) the job gets before it is failed for good.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Do not run before this delay has passed (e.g. a scheduled re-run).</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.Zero;
}
