using Agent.Storage;
using Npgsql;

namespace Agent.Host.Hosting;

/// <summary>The database the agent uses, known once <see cref="DatabaseService"/> has started.</summary>
public sealed class DatabaseAccess
{
    private AgentDatabase? _database;

    /// <summary>The pooled data source every repository uses.</summary>
    public NpgsqlDataSource DataSource => Database.DataSource;

    /// <summary>Connection string of the embedded cluster or the configured server.</summary>
    public string ConnectionString => Database.ConnectionString;

    /// <summary>Human-readable description for the start-up banner (never includes a password).</summary>
    public string Description { get; private set; } = "not started";

    private AgentDatabase Database => _database ?? throw new InvalidOperationException("the database has not been started yet");

    internal void Set(AgentDatabase database, string description)
    {
        _database = database;
        Description = description;
    }
}
