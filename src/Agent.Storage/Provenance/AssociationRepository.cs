using Dapper;
using Npgsql;

namespace Agent.Storage.Provenance;

/// <summary>Who connected: one row per DICOM association, opened when it is accepted and closed when it ends.</summary>
public sealed class AssociationRepository(NpgsqlDataSource dataSource)
{
    private readonly NpgsqlDataSource _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));

    /// <summary>Records an accepted association; returns its id (pass it as <see cref="InstanceRecord.AssociationId"/>).</summary>
    public async Task<long> StartAsync(AssociationStart start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await conn.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO associations (calling_ae, called_ae, remote_address, remote_port, tls, node)
            VALUES (@CallingAe, @CalledAe, @RemoteAddress, @RemotePort, @Tls, @Node) RETURNING id
            """,
            start,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Closes an association record with its outcome and counts. Returns false when the id is unknown or already closed.</summary>
    public async Task<bool> EndAsync(long associationId, AssociationEnd end, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(end);
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var n = await conn.ExecuteAsync(new CommandDefinition(
            """
            UPDATE associations SET ended_at = now(), end_reason = @Reason, instances_received = @InstancesReceived,
                   instances_failed = @InstancesFailed, bytes_received = @BytesReceived
            WHERE id = @associationId AND ended_at IS NULL
            """,
            new { associationId, end.Reason, end.InstancesReceived, end.InstancesFailed, end.BytesReceived },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return n == 1;
    }

    /// <summary>
    /// Closes associations a previous process left open (it was killed): <c>end_reason = 'agent stopped'</c> and counts
    /// from the instances actually indexed. Call once at start-up with this node's name. Returns how many were closed.
    /// </summary>
    public async Task<int> CloseOrphansAsync(string node, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await conn.ExecuteAsync(new CommandDefinition(
            """
            UPDATE associations a SET ended_at = now(), end_reason = 'agent stopped during association',
                   instances_received = (SELECT count(*) FROM instances i WHERE i.association_id = a.id)
            WHERE a.ended_at IS NULL AND a.node IS NOT DISTINCT FROM @node
            """,
            new { node },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}

/// <summary>An accepted association: AE titles, peer address, TLS, and the agent process (node) that accepted it.</summary>
public sealed record AssociationStart(string CallingAe, string CalledAe, string RemoteAddress, int? RemotePort, bool Tls, string? Node);

/// <summary>How an association ended (<c>released</c>, <c>aborted</c>, <c>error: ...</c>) and what it carried.</summary>
public sealed record AssociationEnd(string Reason, int InstancesReceived, int InstancesFailed, long BytesReceived);
