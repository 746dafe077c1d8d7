using Dapper;
using Npgsql;

namespace Agent.Storage.Provenance;

/// <summary>The models that produced outputs. A name+version always means the same weights.</summary>
public sealed class ModelRepository(NpgsqlDataSource dataSource)
{
    private readonly NpgsqlDataSource _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));

    /// <summary>
    /// Returns the id of (name, version), registering it on first use. Throws <see cref="StorageConflictException"/>
    /// when that name+version is already registered with other weights (a model was replaced without a new version).
    /// </summary>
    public async Task<long> EnsureAsync(string name, string version, string weightsSha256, string? description, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(version);
        ArgumentException.ThrowIfNullOrEmpty(weightsSha256);
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // Zero rows only when a concurrent insert committed after this statement's snapshot: ask again.
        (long Id, string Sha)? found = null;
        for (var i = 0; i < 3 && found is null; i++)
        {
            found = await conn.QuerySingleOrDefaultAsync<(long Id, string Sha)?>(new CommandDefinition(
            """
            WITH ins AS (
                INSERT INTO models (name, version, weights_sha256, description) VALUES (@name, @version, @weightsSha256, @description)
                ON CONFLICT (name, version) DO NOTHING RETURNING id, weights_sha256)
            SELECT id, weights_sha256 FROM ins
            UNION ALL
            SELECT id, weights_sha256 FROM models WHERE name = @name AND version = @version
            LIMIT 1
            """,
            new { name, version, weightsSha256 = weightsSha256.ToLowerInvariant(), description },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        var row = found ?? throw new StorageConflictException($"Model {name} {version} could not be registered");
        if (!string.Equals(row.Sha, weightsSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new StorageConflictException(
                $"Model {name} {version} is registered with weights sha256 {row.Sha}, not {weightsSha256}: give changed weights a new version");
        }

        return row.Id;
    }
}
