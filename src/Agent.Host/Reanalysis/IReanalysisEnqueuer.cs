namespace Agent.Host.Reanalysis;

/// <summary>Where the scheduler queues runs (the database's <see cref="ReanalysisRuns"/>; tests record them instead).</summary>
public interface IReanalysisEnqueuer
{
    /// <summary>Queues a run under <paramref name="idempotencyKey"/>: the same key, the same run.</summary>
    Task<(long RunId, bool Created)> EnqueueAsync(ReanalyzeJobPayload payload, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>The occurrence of the schedule's latest queued run, or null when it never ran.</summary>
    Task<DateTimeOffset?> LastOccurrenceAsync(string schedule, CancellationToken cancellationToken);
}
