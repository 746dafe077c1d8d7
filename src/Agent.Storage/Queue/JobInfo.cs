namespace Agent.Storage.Queue;

/// <summary>A job as stored, for status views and tests.</summary>
public sealed class JobInfo
{
    internal const string Columns = """
        id AS Id, kind AS Kind, idempotency_key AS IdempotencyKey, state AS State, priority AS Priority, attempts AS Attempts,
        max_attempts AS MaxAttempts, created_at AS CreatedAt, next_attempt_at AS NextAttemptAt, started_at AS StartedAt,
        finished_at AS FinishedAt, lease_owner AS LeaseOwner, lease_expires_at AS LeaseExpiresAt, last_error AS LastError,
        timings::text AS TimingsJson, device AS Device, software_version AS SoftwareVersion, result::text AS ResultJson,
        payload::text AS PayloadJson, study_id AS StudyId, series_id AS SeriesId, pipeline AS Pipeline, model_id AS ModelId
        """;

    public long Id { get; init; }

    public string Kind { get; init; } = "";

    public string IdempotencyKey { get; init; } = "";

    /// <summary>One of <see cref="WorkState"/>.</summary>
    public string State { get; init; } = "";

    public int Priority { get; init; }

    public int Attempts { get; init; }

    public int MaxAttempts { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime NextAttemptAt { get; init; }

    public DateTime? StartedAt { get; init; }

    public DateTime? FinishedAt { get; init; }

    public string? LeaseOwner { get; init; }

    public DateTime? LeaseExpiresAt { get; init; }

    public string? LastError { get; init; }

    public string TimingsJson { get; init; } = "{}";

    public string? Device { get; init; }

    public string? SoftwareVersion { get; init; }

    public string? ResultJson { get; init; }

    public string PayloadJson { get; init; } = "{}";

    public long? StudyId { get; init; }

    public long? SeriesId { get; init; }

    public string? Pipeline { get; init; }

    public long? ModelId { get; init; }
}
