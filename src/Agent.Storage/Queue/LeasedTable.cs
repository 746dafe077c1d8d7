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
/// The operations that are the same for every leased work table: cancel, operator requeue, and reclaiming leases
/// (expired ones, or a killed process's own). Each table brings its own reclaim statement, written against
/// <see cref="LeaseSql.ExpiredFilter"/>, because what a reclaim leaves behind differs (deliveries record an attempt).
/// </summary>
internal sealed class LeasedTable(NpgsqlDataSource dataSource, string table, string reclaimSql)
{
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
