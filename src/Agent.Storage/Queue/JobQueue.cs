using Dapper;
using Npgsql;

namespace Agent.Storage.Queue;

/// <summary>
/// The job queue, in PostgreSQL so that several agent processes (on several machines) sharing one database split
/// the work. See <see cref="WorkState"/> for the state machine.
/// </summary>
/// <remarks>
/// <para>Leasing takes the ready job with the highest priority, then the oldest due time, with
/// <c>FOR UPDATE SKIP LOCKED</c>: concurrent workers never block each other nor get the same job.</para>
/// <para>Guarantees: a job is leased by at most one worker at a time; completion and failure are accepted only
/// from the current lease holder (fencing token), so a worker whose lease was reclaimed cannot finish the job a
/// second time; a succeeded job is never leased again. Execution itself is at-least-once: a worker that crashes
/// mid-job (or stops renewing its lease) has its job run again, so job steps must be idempotent (outputs are
/// keyed by SOP Instance UID, deliveries by output and destination).</para>
/// <para>Workers wait for <see cref="NotificationChannel"/> (a trigger notifies on every job becoming queued)
/// with <see cref="WorkNotifier"/>, with a slow fallback poll for retries falling due and expired leases.</para>
/// </remarks>
public sealed class JobQueue(NpgsqlDataSource dataSource)
{
    /// <summary>LISTEN channel notified (payload: job id) when a job becomes queued.</summary>
    public const string NotificationChannel = "agent_jobs";

    private const string EmptyJson = "'{}'::jsonb";

    private const string ReclaimSql = $"""
        UPDATE jobs j SET
               state = CASE WHEN j.attempts >= j.max_attempts THEN 'failed' ELSE 'queued' END,
               finished_at = CASE WHEN j.attempts >= j.max_attempts THEN now() END,
               last_error = 'lease of ' || COALESCE(j.lease_owner, '?') || ' reclaimed (worker crashed, hung or lost the database)',
               next_attempt_at = now(), {LeaseSql.ClearLease}
        FROM (SELECT id FROM jobs WHERE state = 'running' AND {LeaseSql.ExpiredFilter} FOR UPDATE SKIP LOCKED) x
        WHERE j.id = x.id
        """;

    private readonly NpgsqlDataSource _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
    private readonly LeasedTable _leases = new(dataSource, "jobs", ReclaimSql);

    // The rows of one lease: the job, while its holder's token is on it.
    private const string LeaseFilter = "id = @Id AND lease_token = @Token";

    /// <summary>Adds a job, or returns the existing one with the same idempotency key (<see cref="EnqueueResult.Created"/> false).</summary>
    public async Task<EnqueueResult> EnqueueAsync(JobRequest request, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await EnqueueAsync(conn, null, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Enqueue on a caller's connection and transaction (used to route a series atomically).</summary>
    internal static async Task<EnqueueResult> EnqueueAsync(
        NpgsqlConnection conn, NpgsqlTransaction? tx, JobRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.Kind);
        ArgumentException.ThrowIfNullOrEmpty(request.IdempotencyKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.MaxAttempts, 1);
        var args = new DynamicParameters(request);
        args.Add("DelaySeconds", request.Delay.TotalSeconds);
        return await LeasedTable.InsertOrFindAsync(conn, tx,
            """
            WITH ins AS (
                INSERT INTO jobs (kind, idempotency_key, priority, payload, study_id, series_id, pipeline, model_id, max_attempts, next_attempt_at)
                VALUES (@Kind, @IdempotencyKey, @Priority, @PayloadJson::jsonb, @StudyId, @SeriesId, @Pipeline, @ModelId, @MaxAttempts,
                        now() + @DelaySeconds * interval '1 second')
                ON CONFLICT (idempotency_key) DO NOTHING RETURNING id)
            SELECT id, true FROM ins
            UNION ALL SELECT id, false FROM jobs WHERE idempotency_key = @IdempotencyKey
            LIMIT 1
            """,
            args,
            $"Job '{request.IdempotencyKey}'",
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reclaims expired leases, then leases the next ready job to <paramref name="owner"/> (a name for people:
    /// host and worker). Returns null when nothing is ready. <paramref name="kinds"/> restricts the job kinds.
    /// </summary>
    public async Task<JobLease?> TryLeaseAsync(
        string owner, TimeSpan leaseDuration, IReadOnlyCollection<string>? kinds, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);
        var kindFilter = kinds is null ? string.Empty : "AND kind = ANY(@kinds)";
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // One round trip: reclaim expired leases, then lease (the reader skips the first statement's empty result).
        return await conn.QuerySingleOrDefaultAsync<JobLease>(new CommandDefinition(
            $"""
            {ReclaimSql};
            UPDATE jobs j SET state = 'running', attempts = j.attempts + 1, lease_owner = @owner, lease_token = @token,
                   lease_expires_at = now() + @leaseSeconds * interval '1 second',
                   started_at = COALESCE(j.started_at, now()), attempt_started_at = now()
            FROM (SELECT id FROM jobs WHERE state = 'queued' AND next_attempt_at <= now() {kindFilter}
                  ORDER BY priority DESC, next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) n
            WHERE j.id = n.id
            RETURNING {JobLease.Columns}
            """,
            new { owner, token = Guid.NewGuid(), leaseSeconds = leaseDuration.TotalSeconds, kinds = kinds?.ToArray() },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Extends the lease (heartbeat). False: the lease is lost (reclaimed or cancelled): stop working on the job.</summary>
    public async Task<bool> RenewAsync(JobLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (await _leases.RenewAsync(LeaseFilter, new { lease.Id, lease.Token }, leaseDuration, cancellationToken).ConfigureAwait(false) is not { } expires)
        {
            return false;
        }

        lease.LeaseExpiresAt = expires;
        return true;
    }

    /// <summary>
    /// Marks the job succeeded and, in the same transaction, records <see cref="JobOutcome.Outputs"/> and queues their
    /// deliveries, and queues the instances of <see cref="JobOutcome.Forwards"/>. False: the lease was lost and nothing is recorded (the job runs elsewhere or was cancelled).
    /// Outputs and deliveries therefore exist exactly when the job succeeded, once: an attempt that crashed or lost its
    /// lease records nothing (files it wrote are orphans), and a crash before the commit leaves the job to run again.
    /// </summary>
    public async Task<bool> CompleteAsync(JobLease lease, JobOutcome? outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        outcome ??= new JobOutcome();
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var n = await conn.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE jobs SET state = 'succeeded', finished_at = now(), {LeaseSql.ClearLease}, last_error = NULL,
                   timings = timings || COALESCE(@TimingsJson::jsonb, {EmptyJson}),
                   device = COALESCE(@Device, device), software_version = COALESCE(@SoftwareVersion, software_version),
                   result = @ResultJson::jsonb
            WHERE id = @Id AND lease_token = @Token AND state = 'running'
            """,
            new { lease.Id, lease.Token, outcome.TimingsJson, outcome.Device, outcome.SoftwareVersion, outcome.ResultJson },
            tx,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (n != 1)
        {
            await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return false;
        }

        foreach (var produced in outcome.Outputs)
        {
            var record = produced.Output.JobId is null ? produced.Output.WithJob(lease.Id) : produced.Output;
            var outputId = await Provenance.OutputRepository.RecordAsync(conn, tx, record, cancellationToken).ConfigureAwait(false);
            foreach (var destination in produced.Destinations)
            {
                await DeliveryOutbox.EnqueueAsync(conn, tx, outputId, destination, lease.Priority, produced.DeliveryMaxAttempts, cancellationToken)
                    .ConfigureAwait(false);
            }
        }

        foreach (var forward in outcome.Forwards)
        {
            await DeliveryOutbox.EnqueueSeriesAsync(conn, tx, forward.SeriesId, forward.Destination, lease.Priority, forward.DeliveryMaxAttempts, lease.Id, cancellationToken)
                .ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Reports a failed attempt: the job is queued again after <paramref name="policy"/>'s backoff, or failed for
    /// good when its attempts are used up or <see cref="JobOutcome.Permanent"/> is set.
    /// </summary>
    public async Task<FailResult> FailAsync(JobLease lease, JobOutcome outcome, RetryPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(policy);
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var row = await conn.QuerySingleOrDefaultAsync<(string State, DateTime NextAttemptAt)?>(new CommandDefinition(
            $"""
            UPDATE jobs SET
                   state = CASE WHEN @Permanent OR attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
                   finished_at = CASE WHEN @Permanent OR attempts >= max_attempts THEN now() END,
                   next_attempt_at = now() + @delaySeconds * interval '1 second',
                   last_error = @Error, {LeaseSql.ClearLease},
                   timings = timings || COALESCE(@TimingsJson::jsonb, {EmptyJson}),
                   device = COALESCE(@Device, device), software_version = COALESCE(@SoftwareVersion, software_version)
            WHERE id = @Id AND lease_token = @Token AND state = 'running'
            RETURNING state, next_attempt_at
            """,
            new
            {
                lease.Id,
                lease.Token,
                outcome.Permanent,
                Error = ErrorText.Bound(outcome.Error) ?? "failed",
                delaySeconds = policy.DelayAfter(lease.Attempt).TotalSeconds,
                outcome.TimingsJson,
                outcome.Device,
                outcome.SoftwareVersion,
            },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row is { } r
            ? new FailResult(true, r.State, r.State == WorkState.Queued ? r.NextAttemptAt : null)
            : new FailResult(false, null, null);
    }

    /// <summary>Gives a job back unfinished without using up an attempt (graceful shutdown). False: lease lost.</summary>
    public async Task<bool> ReleaseAsync(JobLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return await _leases.ReleaseAsync(LeaseFilter, new { lease.Id, lease.Token }, cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Cancels a queued or running job (a running worker learns it at its next renewal). False if already finished.</summary>
    public Task<bool> CancelAsync(long jobId, string? reason, CancellationToken cancellationToken)
        => _leases.CancelAsync(jobId, reason, cancellationToken);

    /// <summary>Operator retry: puts a failed or cancelled job back in the queue with fresh attempts. False otherwise.</summary>
    public Task<bool> RequeueAsync(long jobId, CancellationToken cancellationToken)
        => _leases.RequeueAsync(jobId, cancellationToken);

    /// <summary>
    /// Puts running jobs whose lease expired (their worker crashed, hung or lost the database) back in the queue,
    /// or fails them when their attempts are used up. Returns how many. <see cref="TryLeaseAsync"/> calls it.
    /// </summary>
    public Task<int> ReclaimExpiredAsync(CancellationToken cancellationToken)
        => _leases.ReclaimExpiredAsync(cancellationToken);

    /// <summary>
    /// At start-up, puts back the jobs still leased to this node's previous process (killed, so its leases would
    /// otherwise block them until they expire). Matches lease owners starting with <paramref name="ownerPrefix"/>
    /// (e.g. the node name in <see cref="JobWorkerOptions.Name"/> = <c>node/worker-1</c>): only safe when no other
    /// live process uses that prefix. Returns how many jobs were put back (or failed, on their last attempt).
    /// </summary>
    public Task<int> ReclaimOwnedByAsync(string ownerPrefix, CancellationToken cancellationToken)
        => _leases.ReclaimOwnedByAsync(ownerPrefix, cancellationToken);

    /// <summary>A job by id, or null.</summary>
    public async Task<JobInfo?> GetAsync(long jobId, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await conn.QuerySingleOrDefaultAsync<JobInfo>(new CommandDefinition(
            $"SELECT {JobInfo.Columns} FROM jobs WHERE id = @jobId",
            new { jobId },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Jobs for a status view: optionally one state, most recently created first.</summary>
    public async Task<IReadOnlyList<JobInfo>> ListAsync(string? state, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await conn.QueryAsync<JobInfo>(new CommandDefinition(
            $"SELECT {JobInfo.Columns} FROM jobs WHERE @state::text IS NULL OR state = @state ORDER BY created_at DESC, id DESC LIMIT @limit",
            new { state, limit },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    /// <summary>Number of jobs per state.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountByStateAsync(CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await conn.QueryAsync<(string State, long Count)>(new CommandDefinition(
            "SELECT state, count(*) FROM jobs GROUP BY state",
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToDictionary(r => r.State, r => r.Count, StringComparer.Ordinal);
    }

    /// <summary>
    /// Time until the next queued job falls due or the next lease expires (zero when something is ready now,
    /// null when the queue holds nothing pending): how long an idle worker may sleep without missing work.
    /// </summary>
    public Task<TimeSpan?> TimeUntilNextDueAsync(CancellationToken cancellationToken)
        => _leases.TimeUntilNextDueAsync(cancellationToken);
}
