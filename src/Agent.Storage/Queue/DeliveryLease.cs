namespace Agent.Storage.Queue;

/// <summary>
/// One delivery (an output or a received instance, to one destination) handed to one sender, as part of a
/// <see cref="DeliveryBatch"/>; same lease rules as <see cref="JobLease"/>.
/// </summary>
public sealed class DeliveryLease
{
    // Over the UPDATE's returned rows (d) joined to what is being sent (an output o, or an instance i of series s, study st).
    internal const string Columns = """
        d.id AS Id, d.output_id AS OutputId, d.instance_id AS InstanceId, d.destination AS Destination, d.lease_token AS Token,
        d.lease_owner AS Owner, d.attempts AS Attempt, d.max_attempts AS MaxAttempts, d.lease_expires_at AS LeaseExpiresAt,
        COALESCE(o.sop_class_uid, i.sop_class_uid) AS SopClassUid, COALESCE(o.sop_instance_uid, i.sop_instance_uid) AS SopInstanceUid,
        COALESCE(o.study_instance_uid, st.study_instance_uid) AS StudyInstanceUid, COALESCE(o.file_path, i.file_path) AS FilePath
        """;

    internal const string Joins = """
        LEFT JOIN outputs o ON o.id = d.output_id
        LEFT JOIN instances i ON i.id = d.instance_id
        LEFT JOIN series s ON s.id = i.series_id
        LEFT JOIN studies st ON st.id = s.study_id
        """;

    public long Id { get; init; }

    /// <summary>Set when an output is delivered (exactly one of this and <see cref="InstanceId"/>).</summary>
    public long? OutputId { get; init; }

    /// <summary>Set when a received instance is forwarded.</summary>
    public long? InstanceId { get; init; }

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

    /// <summary>What to C-STORE: absolute, or relative to the agent's data folder (as outputs and instances are recorded).</summary>
    public string? FilePath { get; init; }
}

/// <summary>
/// Deliveries to one destination leased together under one fencing token, so that one association carries them all.
/// Each item is still finished on its own (<see cref="DeliveryOutbox.CompleteAsync"/>, <see cref="DeliveryOutbox.FailAsync"/>).
/// </summary>
public sealed class DeliveryBatch
{
    private int _open;

    internal DeliveryBatch(IReadOnlyList<DeliveryLease> items)
    {
        Items = items;
        _open = items.Count;
        LeaseExpiresAt = items.Min(i => i.LeaseExpiresAt);
    }

    public IReadOnlyList<DeliveryLease> Items { get; }

    public string Destination => Items[0].Destination;

    public Guid Token => Items[0].Token;

    public string Owner => Items[0].Owner;

    /// <summary>UTC, as of the lease or the last renewal.</summary>
    public DateTime LeaseExpiresAt { get; set; }

    /// <summary>Items not yet finished by this sender.</summary>
    public int Open => Volatile.Read(ref _open);

    internal void Finished() => Interlocked.Decrement(ref _open);
}

/// <summary>A delivery as stored.</summary>
public sealed class DeliveryInfo
{
    internal const string Columns = """
        id AS Id, output_id AS OutputId, instance_id AS InstanceId, job_id AS JobId, destination AS Destination, state AS State,
        attempts AS Attempts, max_attempts AS MaxAttempts, next_attempt_at AS NextAttemptAt, finished_at AS FinishedAt,
        last_error AS LastError, last_dimse_status AS LastDimseStatus
        """;

    public long Id { get; init; }

    public long? OutputId { get; init; }

    public long? InstanceId { get; init; }

    /// <summary>The forward job that queued an instance delivery.</summary>
    public long? JobId { get; init; }

    public string Destination { get; init; } = "";

    public string State { get; init; } = "";

    public int Attempts { get; init; }

    public int MaxAttempts { get; init; }

    public DateTime NextAttemptAt { get; init; }

    public DateTime? FinishedAt { get; init; }

    public string? LastError { get; init; }

    public int? LastDimseStatus { get; init; }
}
