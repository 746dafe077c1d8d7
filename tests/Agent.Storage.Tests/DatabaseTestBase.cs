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

    protected async Task ExecAsync(string sql)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }
}
