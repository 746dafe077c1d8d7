using Agent.Storage.Embedded;
using Npgsql;

namespace Agent.Host.Tests;

/// <summary>Reads an agent's embedded database after the agent stopped (starts the cluster, queries, stops it).</summary>
public static class ClusterQuery
{
    public static async Task<T> WithDatabaseAsync<T>(string home, Func<NpgsqlConnection, Task<T>> query)
    {
        await using var pg = await EmbeddedPostgres.StartAsync(
            new EmbeddedPostgresOptions { ClusterDirectory = Path.Combine(home, "data", "postgres") }, null, CancellationToken.None);
        await using var connection = new NpgsqlConnection(pg.ConnectionString);
        await connection.OpenAsync();
        return await query(connection);
    }

    public static async Task<List<string>> StringsAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync()) values.Add(reader.IsDBNull(0) ? "" : reader.GetValue(0).ToString()!);
        return values;
    }
}
