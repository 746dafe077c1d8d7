using Npgsql;

namespace Agent.Storage.Tests;

/// <summary>Gives each test class a fresh, migrated database on the shared cluster.</summary>
[Collection(PostgresCollection.Name)]
public abstract class DatabaseTestBase(PostgresFixture pg) : IAsyncLifetime
{
    protected PostgresFixture Pg { get; } = pg;

    protected string ConnectionString { get; private set; } = "";

    protected NpgsqlDataSource DataSource { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ConnectionString = await Pg.CreateDatabaseAsync(GetType().Name);
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public async Task DisposeAsync() => await DataSource.DisposeAsync();

    protected async Task<object?> ScalarAsync(string sql)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        return await cmd.ExecuteScalarAsync();
    }

    /// <summary>
    /// Waits until some session of this database LISTENs on <paramref name="channel"/> (a worker that has subscribed
    /// and so will hear what is queued from now on), at most 60 s; returns whether it did.
    /// </summary>
    protected async Task<bool> WaitForListenerAsync(string channel)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        await using var cmd = DataSource.CreateCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query = $1 AND state = 'idle'");
        cmd.Parameters.AddWithValue($"LISTEN \"{channel}\"");
        while ((long)(await cmd.ExecuteScalarAsync())! == 0)
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(20);
        }
        return true;
    }

    protected async Task ExecAsync(string sql)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }
}
