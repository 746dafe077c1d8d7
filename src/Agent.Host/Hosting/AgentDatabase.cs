using Npgsql;

namespace Agent.Host.Hosting;

/// <summary>The database the agent uses, known once <see cref="DatabaseService"/> has started.</summary>
public sealed class AgentDatabase : IAsyncDisposable
{
    private string? _connectionString;
    private NpgsqlDataSource? _dataSource;

    /// <summary>The pooled data source every repository uses.</summary>
    public NpgsqlDataSource DataSource =>
        _dataSource ?? throw new InvalidOperationException("the database has not been started yet");

    /// <summary>Connection string of the embedded cluster or the configured server.</summary>
    public string ConnectionString =>
        _connectionString ?? throw new InvalidOperationException("the database has not been started yet");

    /// <summary>Human-readable description for the start-up banner (never includes a password).</summary>
    public string Description { get; private set; } = "not started";

    internal void Set(string connectionString, string description)
    {
        _connectionString = connectionString;
        Description = description;
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null) await _dataSource.DisposeAsync().ConfigureAwait(false);
    }
}
