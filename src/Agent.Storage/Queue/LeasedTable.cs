using Dapper;
using Npgsql;

namespace Agent.Storage.Queue;

/// <summary>Lease columns shared by every leased work table (jobs, deliveries).</summary>
internal static class LeaseSql
{
    public const string ClearLease = "lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL";

    public const string ExpiredFilter = "lease_expires_at < now()";

    public const string OwnedByFilter = "left(lease_owner, length(@ownerPrefix)) = @ownerPrefix";
}

/// <summary>
/// The operations that are the same for every leased work table: idempotent insert, heartbeat, release, cancel,
/// operator requeue, reclaiming leases (expired ones, or a killed process's own) and the time until work falls due.
/// Each table brings its own reclaim statement, written against <see cref="LeaseSql.ExpiredFilter"/>, because what a
/// reclaim leaves behind differs (deliveries record an attempt); heartbeat and release take the filter that selects a
/// lease's rows (a job by id and token, a delivery batch by token).
/// </summary>
internal sealed class LeasedTable(NpgsqlDataSource dataSource, string table, string reclaimSql)
{
    /// <summary>
    /// Runs an insert-or-find statement (<c>INSERT ... ON CONFLICT DO NOTHING RETURNING id</c>, then the existing row)
    /// that yields (id, created). Zero rows only when a concurrent insert of the same key committed after the
    /// statement's snapshot, so it is tried again.
    /// </summary>
    public static async Task<EnqueueResult> InsertOrFindAsync(
        NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, object args, string what, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 3; i++)
        {
            var row = await conn.QuerySingleOrDefaultAsync<(long Id, bool Created)?>(new CommandDefinition(sql, args, tx, cancellationToken: cancellationToken))
                .ConfigureAwait(false);
            if (row is { } r)
            {
                return new EnqueueResult(r.Id, r.Created);
            }
        }

        throw new StorageConflictException($"{what} could not be queued");
    }

    /// <summary>Extends the lease of the running rows matching <paramref name="filter"/>; their earliest new expiry, or null when none is leased any more.</summary>
    public async Task<DateTime?> RenewAsync(string filter, object args, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters(args);
        parameters.Add("leaseSeconds", leaseDuration.TotalSeconds);
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await conn.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            $"""
            WITH u AS (
                UPDATE {table} SET lease_expires_at = now() + @leaseSeconds * interval '1 second'
                WHERE {filter} AND state = 'running' RETURNING lease_expires_at)
            SELECT min(lease_expires_at) FROM u
            """,
            parameters,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Gives the running rows matching <paramref name="filter"/> back without using up an attempt; how many.</summary>
    public async Task<int> ReleaseAsync(string filter, object args, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await conn.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE {table} SET state = 'queued', attempts = attempts - 1, next_attempt_at = now(), {LeaseSql.ClearLease}
            WHERE {filter} AND state = 'running'
            """,
            args,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Time until the next queued row falls due or a lease expires (zero: something is ready; null: nothing pending).</summary>
    public async Task<TimeSpan?> TimeUntilNextDueAsync(CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var seconds = await conn.ExecuteScalarAsync<double?>(new CommandDefinition(
            $"""
            SELECT CASE WHEN due IS NULL THEN NULL ELSE GREATEST(0, EXTRACT(EPOCH FROM due - now()))::float8 END
            FROM (SELECT LEAST((SELECT min(next_attempt_at) FROM {table} WHERE state = 'queued'),
                               (SELECT min(lease_expires_at) FROM {table} WHERE state = 'running')) AS due) d
            """,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return seconds is { } s ? TimeSpan.FromSeconds(s) : null;
    }

    /// <summary>Cancels a queued or running row; false if it had already finished.</summary>
    public async Task<bool> CancelAsync(long id, string? reason, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var n = await conn.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE {table} SET state = 'cancelled', finished_at = now(), last_error = COALESCE(@reason, last_error), {LeaseSql.ClearLease}
            WHERE id = @id AND state IN ('queued', 'running')
            """,
            new { id, reason = ErrorText.Bound(reason) },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return n == 1;
    }

    /// <summary>Puts a failed or cancelled row back in the queue with fresh attempts; false otherwise.</summary>
    public async Task<bool> RequeueAsync(long id, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var n = await conn.ExecuteAsync(new CommandDefinition(
            $"UPDATE {table} SET state = 'queued', attempts = 0, next_attempt_at = now(), finished_at = NULL WHERE id = @id AND state IN ('failed', 'cancelled')",
            new { id },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return n == 1;
    }

    public async Task<int> ReclaimExpiredAsync(CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await conn.ExecuteAsync(new CommandDefinition(reclaimSql, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<int> ReclaimOwnedByAsync(string ownerPrefix, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(ownerPrefix);
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await conn.ExecuteAsync(new CommandDefinition(
            reclaimSql.Replace(LeaseSql.ExpiredFilter, LeaseSql.OwnedByFilter, StringComparison.Ordinal),
            new { ownerPrefix },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
