namespace Agent.Storage.Queue;

/// <summary>
/// A job handed to one worker. Only the holder of <see cref="Token"/> can complete or fail it; keep the lease alive
/// with <see cref="JobQueue.RenewAsync"/> (e.g. every third of its duration). A worker that dies or stops renewing
/// loses the job to <see cref="JobQueue.ReclaimExpiredAsync"/>, which puts it back in the queue.
/// </summary>
public sealed class JobLease
{
    internal const string Columns = """
        j.id AS Id, j.kind AS Kind, j.idempotency_key AS IdempotencyKey, j.lease_token AS Token, j.lease_owner AS Owner,
        j.attempts AS Attempt, j.max_attempts AS MaxAttempts, j.priority AS Priority, j.payload::text AS PayloadJson,
        j.study_id AS StudyId, j.series_id AS SeriesId, j.pipeline AS Pipeline, j.model_id AS ModelId,
        j.lease_expires_at AS LeaseExpiresAt
        """;

    public long Id { get; init; }

    public string Kind { get; init; } = "";

    public string IdempotencyKey { get; init; } = "";

    /// <summary>Fencing token of this lease.</summary>
    public Guid Token { get; init; }

    public string Owner { get; init; } = "";

    /// <summary>1 for the first attempt.</summary>
    public int Attempt { get; init; }

    public int MaxAttempts { get; init; }

    public int Priority { get; init; }

    public string PayloadJson { get; init; } = "{}";

    public long? StudyId { get; init; }

    public long? SeriesId { get; init; }

    public string? Pipeline { get; init; }

    public long? ModelId { get; init; }

    /// <summary>UTC, as of the lease or the last renewal.</summary>
    public DateTime LeaseExpiresAt { get; set; }
}
