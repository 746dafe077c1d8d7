using Dapper;
using Npgsql;

namespace Agent.Storage.Queue;

/// <summary>
/// Outbox of C-STOREs: each (output, destination) and (received instance, destination) pair is delivered by exactly
/// one sender at a time, retried with backoff up to its attempt limit, and every attempt is recorded in
/// <c>delivery_attempts</c> (with the DIMSE status). Senders lease batches for one destination
/// (<see cref="TryLeaseBatchAsync"/>) so a series goes over one association, but each item is finished on its own.
/// Same leasing, fencing and state machine as <see cref="JobQueue"/>; notifies <see cref="NotificationChannel"/>.
/// </summary>
public sealed class DeliveryOutbox(NpgsqlDataSource dataSource)
{
    /// <summary>LISTEN channel notified (once per transaction, empty payload) when deliveries become queued.</summary>
    public const string NotificationChannel = "agent_deliveries";

    // Expired leases go back to the queue (or fail on their last attempt) and leave an attempt row behind.
    private const string ReclaimSql = $"""
        WITH x AS (
            SELECT id, attempts, lease_owner, attempt_started_at FROM deliveries
            WHERE state = 'running' AND {LeaseSql.ExpiredFilter} FOR UPDATE SKIP LOCKED),
        u AS (
            UPDATE deliveries d SET
                   state = CASE WHEN d.attempts >= d.max_attempts THEN 'failed' ELSE 'queued' END,
                   finished_at = CASE WHEN d.attempts >= d.max_attempts THEN now() END,
                   last_error = 'lease of ' || COALESCE(d.lease_owner, '?') || ' reclaimed (sender crashed, hung or lost the database)',
                   next_attempt_at = now(), {LeaseSql.ClearLease}
            FROM x WHERE d.id = x.id RETURNING d.id)
        INSERT INTO delivery_attempts (delivery_id, attempt, lease_owner, started_at, succeeded, error)
        SELECT x.id, x.attempts, x.lease_owner, COALESCE(x.attempt_started_at, now()), false, 'lease reclaimed'
        FROM x JOIN u ON u.id = x.id
        """;

    // A failed attempt of the leased rows matching filter (one item, or the open items of a batch): queued again after the
    // backoff, or failed when permanent or out of attempts, with one delivery_attempts row each; then select from u.
    private static string FailSql(string filter, string select) => $"""
        WITH u AS (
            UPDATE deliveries SET
                   state = CASE WHEN @permanent OR attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
                   finished_at = CASE WHEN @permanent OR attempts >= max_attempts THEN now() END,
                   next_attempt_at = now() + @delaySeconds * interval '1 second',
                   last_error = @error, last_dimse_status = @dimseStatus, {LeaseSql.ClearLease}
            WHERE {filter} AND state = 'running'
            RETURNING id, attempts, attempt_started_at, state, next_attempt_at),
        ins AS (
            INSERT INTO delivery_attempts (delivery_id, attempt, lease_owner, started_at, succeeded, dimse_status, error)
            SELECT id, attempts, @Owner, COALESCE(attempt_started_at, now()), false, @dimseStatus, @error FROM u)
        {select}
        """;

    private readonly NpgsqlDataSource _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
    private readonly LeasedTable _leases = new(dataSource, "deliveries", ReclaimSql);

    // The rows of a batch's lease: all its items still running under its token.
    private const string BatchFilter = "lease_token = @Token";

    /// <summary>Queues delivery of an output to a destination; idempotent per (output, destination).</summary>
    public async Task<EnqueueResult> EnqueueAsync(long outputId, string destination, int priority, int maxAttempts, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await EnqueueAsync(conn, null, outputId, destination, priority, maxAttempts, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Enqueue on a caller's connection and transaction (job completion with its outputs).</summary>
    internal static async Task<EnqueueResult> EnqueueAsync(
        NpgsqlConnection conn, NpgsqlTransaction? tx, long outputId, string destination, int priority, int maxAttempts, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        return await LeasedTable.InsertOrFindAsync(conn, tx,
            """
            WITH ins AS (
                INSERT INTO deliveries (output_id, destination, priority, max_attempts) VALUES (@outputId, @destination, @priority, @maxAttempts)
                ON CONFLICT (output_id, destination) DO NOTHING RETURNING id)
            SELECT id, true FROM ins
            UNION ALL SELECT id, false FROM deliveries WHERE output_id = @outputId AND destination = @destination
            LIMIT 1
            """,
            new { outputId, destination, priority, maxAttempts },
            $"Delivery of output {outputId} to {destination}",
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Queues every indexed instance of a series for <paramref name="destination"/> (a rule's <c>forward</c>), in
    /// instance order, on a caller's connection and transaction (the forward job's completion). Idempotent per
    /// (instance, destination): instances already queued, sent or failed there are left alone. Returns how many were added.
    /// </summary>
    internal static async Task<int> EnqueueSeriesAsync(
        NpgsqlConnection conn, NpgsqlTransaction? tx, long seriesId, string destination, int priority, int maxAttempts, long? jobId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        return await conn.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO deliveries (instance_id, destination, priority, max_attempts, job_id)
            SELECT id, @destination, @priority, @maxAttempts, @jobId FROM instances WHERE series_id = @seriesId
            ORDER BY instance_number NULLS LAST, id
            ON CONFLICT (instance_id, destination) DO NOTHING
            """,
            new { seriesId, destination, priority, maxAttempts, jobId },
            tx,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// Reclaims expired leases, then leases up to <paramref name="maxItems"/> ready deliveries that all go to one
    /// destination (that of the most urgent ready delivery, optionally only among <paramref name="destinations"/>),
    /// under one token, most urgent first. Null when nothing is ready.
    /// </summary>
    public async Task<DeliveryBatch?> TryLeaseBatchAsync(
        string owner, TimeSpan leaseDuration, IReadOnlyCollection<string>? destinations, int maxItems, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxItems, 1);
        var filter = destinations is null ? string.Empty : "AND destination = ANY(@destinations)";
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // The destination is picked without a lock; concurrent senders of one destination then split its rows (SKIP LOCKED).
        var rows = await conn.QueryAsync<DeliveryLease>(new CommandDefinition(
            $"""
            {ReclaimSql};
            WITH first AS (
                SELECT destination FROM deliveries WHERE state = 'queued' AND next_attempt_at <= now() {filter}
                ORDER BY priority DESC, next_attempt_at, id LIMIT 1),
            n AS (
                SELECT q.id FROM deliveries q JOIN first f ON q.destination = f.destination
                WHERE q.state = 'queued' AND q.next_attempt_at <= now()
                ORDER BY q.priority DESC, q.next_attempt_at, q.id LIMIT @maxItems FOR UPDATE OF q SKIP LOCKED),
            d AS (
                UPDATE deliveries u SET state = 'running', attempts = u.attempts + 1, lease_owner = @owner, lease_token = @token,
                       lease_expires_at = now() + @leaseSeconds * interval '1 second',
                       started_at = COALESCE(u.started_at, now()), attempt_started_at = now()
                FROM n WHERE u.id = n.id
                RETURNING u.*)
            SELECT {DeliveryLease.Columns} FROM d
            {DeliveryLease.Joins}
            ORDER BY d.priority DESC, d.next_attempt_at, d.id
            """,
            new { owner, token = Guid.NewGuid(), leaseSeconds = leaseDuration.TotalSeconds, destinations = destinations?.ToArray(), maxItems },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        var items = rows.AsList();
        return items.Count == 0 ? null : new DeliveryBatch(items);
    }

    /// <summary>Reclaims expired leases, then leases the next ready delivery (optionally only for some destinations).</summary>
    public async Task<DeliveryLease?> TryLeaseAsync(
        string owner, TimeSpan leaseDuration, IReadOnlyCollection<string>? destinations, CancellationToken cancellationToken)
        => (await TryLeaseBatchAsync(owner, leaseDuration, destinations, 1, cancellationToken).ConfigureAwait(false))?.Items[0];

    /// <summary>Heartbeat for a whole batch. False: none of its unfinished items is leased to it any more; stop sending.</summary>
    public async Task<bool> RenewAsync(DeliveryBatch batch, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (await _leases.RenewAsync(BatchFilter, new { batch.Token }, leaseDuration, cancellationToken).ConfigureAwait(false) is { } expires)
        {
            batch.LeaseExpiresAt = expires;
            return true;
        }

        // Every item finished between two heartbeats is not a lost lease.
        return batch.Open == 0;
    }

    /// <summary>
    /// Fails every item of the batch not finished yet (e.g. the association could not be opened, or broke), with one
    /// backoff for all so that they are retried together, over one association again. Returns how many.
    /// </summary>
    public async Task<int> FailOpenAsync(
        DeliveryBatch batch, string error, int? dimseStatus, bool permanent, RetryPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(policy);
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await conn.ExecuteScalarAsync<int>(new CommandDefinition(
            FailSql(BatchFilter, "SELECT count(*)::int FROM u"),
            new
            {
                batch.Token,
                batch.Owner,
                permanent,
                error = ErrorText.Bound(error),
                dimseStatus,
                delaySeconds = policy.DelayAfter(batch.Items.Max(i => i.Attempt)).TotalSeconds,
            },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Gives the unfinished items of a batch back without using up an attempt (graceful shutdown).</summary>
    public async Task<bool> ReleaseAsync(DeliveryBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return await _leases.ReleaseAsync(BatchFilter, new { batch.Token }, cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>Records a successful C-STORE (with its DIMSE status, e.g. 0x0000 or a warning). False: lease lost.</summary>
    public async Task<bool> CompleteAsync(DeliveryLease lease, int dimseStatus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var n = await conn.ExecuteScalarAsync<long>(new CommandDefinition(
            $"""
            WITH u AS (
                UPDATE deliveries SET state = 'succeeded', finished_at = now(), last_dimse_status = @dimseStatus, last_error = NULL, {LeaseSql.ClearLease}
                WHERE id = @Id AND lease_token = @Token AND state = 'running' RETURNING id, attempts, attempt_started_at),
            ins AS (
                INSERT INTO delivery_attempts (delivery_id, attempt, lease_owner, started_at, succeeded, dimse_status)
                SELECT id, attempts, @Owner, COALESCE(attempt_started_at, now()), true, @dimseStatus FROM u RETURNING 1)
            SELECT count(*) FROM ins
            """,
            new { lease.Id, lease.Token, lease.Owner, dimseStatus },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return n == 1;
    }

    /// <summary>
    /// Records a failed attempt (with the DIMSE status when the peer answered): queued again after the backoff, or
    /// failed when attempts are used up or <paramref name="permanent"/> (e.g. the destination refused the SOP class).
    /// </summary>
    public async Task<FailResult> FailAsync(
        DeliveryLease lease, string error, int? dimseStatus, bool permanent, RetryPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(policy);
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var row = await conn.QuerySingleOrDefaultAsync<(string State, DateTime NextAttemptAt)?>(new CommandDefinition(
            FailSql("id = @Id AND lease_token = @Token", "SELECT state, next_attempt_at FROM u"),
            new
            {
                lease.Id,
                lease.Token,
                lease.Owner,
                permanent,
                error = ErrorText.Bound(error),
                dimseStatus,
                delaySeconds = policy.DelayAfter(lease.Attempt).TotalSeconds,
            },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return row is { } r
            ? new FailResult(true, r.State, r.State == WorkState.Queued ? r.NextAttemptAt : null)
            : new FailResult(false, null, null);
    }

    /// <summary>Time until the next queued delivery falls due or a lease expires (null: nothing pending).</summary>
    public Task<TimeSpan?> TimeUntilNextDueAsync(CancellationToken cancellationToken)
        => _leases.TimeUntilNextDueAsync(cancellationToken);

    /// <summary>Cancels a queued or running delivery. False if already finished.</summary>
    public Task<bool> CancelAsync(long deliveryId, string? reason, CancellationToken cancellationToken)
        => _leases.CancelAsync(deliveryId, reason, cancellationToken);

    /// <summary>Operator retry of a failed or cancelled delivery with fresh attempts.</summary>
    public Task<bool> RequeueAsync(long deliveryId, CancellationToken cancellationToken)
        => _leases.RequeueAsync(deliveryId, cancellationToken);

    /// <summary>Reclaims deliveries whose sender stopped renewing; returns how many.</summary>
    public Task<int> ReclaimExpiredAsync(CancellationToken cancellationToken)
        => _leases.ReclaimExpiredAsync(cancellationToken);

    /// <summary>
    /// At start-up, puts back the deliveries still leased to this node's previous (killed) process; see
    /// <see cref="JobQueue.ReclaimOwnedByAsync"/> for when this is safe.
    /// </summary>
    public Task<int> ReclaimOwnedByAsync(string ownerPrefix, CancellationToken cancellationToken)
        => _leases.ReclaimOwnedByAsync(ownerPrefix, cancellationToken);

    /// <summary>Deliveries for a status view: optionally one state, most recently created first.</summary>
    public async Task<IReadOnlyList<DeliveryInfo>> ListAsync(string? state, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await conn.QueryAsync<DeliveryInfo>(new CommandDefinition(
            $"SELECT {DeliveryInfo.Columns} FROM deliveries WHERE @state::text IS NULL OR state = @state ORDER BY created_at DESC, id DESC LIMIT @limit",
            new { state, limit },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    /// <summary>A delivery by id, or null.</summary>
    public async Task<DeliveryInfo?> GetAsync(long deliveryId, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await conn.QuerySingleOrDefaultAsync<DeliveryInfo>(new CommandDefinition(
            $"SELECT {DeliveryInfo.Columns} FROM deliveries WHERE id = @deliveryId",
            new { deliveryId },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
