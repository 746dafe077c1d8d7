namespace Agent.Storage.Queue;

/// <summary>A delivery (one output to one destination) handed to one sender; same lease rules as <see cref="JobLease"/>.</summary>
public sealed class DeliveryLease
{
    internal const string Columns = """
        d.id AS Id, d.output_id AS OutputId, d.destination AS Destination, d.lease_token AS Token, d.lease_owner AS Owner,
        d.attempts AS Attempt, d.max_attempts AS MaxAttempts, d.lease_expires_at AS LeaseExpiresAt,
        o.sop_class_uid AS SopClassUid, o.sop_instance_uid AS SopInstanceUid, o.study_instance_uid AS StudyInstanceUid,
        o.file_path AS FilePath
        """;

    public long Id { get; init; }

    public long OutputId { get; init; }

    public string Destination { get; init; } = "";

    public Guid Token { get; init; }

    public string Owner { get; init; } = "";

    /// <summary>1 for the first attempt.</summary>
    public int Attempt { get; init; }

    public int MaxAttempts { get; init; }

    /// <summary>UTC.</summary>
    public DateTime LeaseExpiresAt { get; set; }

    public string SopClassUid { get; init; } = "";

    public string SopInstanceUid { get; init; } = "";

    public string StudyInstanceUid { get; init; } = "";

    /// <summary>The output's file (what to C-STORE).</summary>
    public string? FilePath { get; init; }
}

/// <summary>A delivery as stored.</summary>
public sealed class DeliveryInfo
{
    internal const string Columns = """
        id AS Id, output_id AS OutputId, destination AS Destination, state AS State, attempts AS Attempts, max_attempts AS MaxAttempts,
        next_attempt_at AS NextAttemptAt, finished_at AS FinishedAt, last_error AS LastError, last_dimse_status AS LastDimseStatus
        """;

    public long Id { get; init; }

    public long OutputId { get; init; }

    public string Destination { get; init; } = "";

    public string State { get; init; } = "";

    public int Attempts { get; init; }

    public int MaxAttempts { get; init; }

    public DateTime NextAttemptAt { get; init; }

    public DateTime? FinishedAt { get; init; }

    public string? LastError { get; init; }

    public int? LastDimseStatus { get; init; }
}
