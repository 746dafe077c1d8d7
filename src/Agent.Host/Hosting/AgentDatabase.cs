namespace Agent.Host.Hosting;

/// <summary>The database the agent uses, known once <see cref="DatabaseService"/> has started.</summary>
public sealed class AgentDatabase
{
    private string? _connectionString;

    /// <summary>Connection string of the embedded cluster or the configured server.</summary>
    public string ConnectionString =>
        _connectionString ?? throw new InvalidOperationException("the database has not been started yet");

    /// <summary>Human-readable description for the start-up banner (never includes a password).</summary>
    public string Description { get; private set; } = "not started";

    internal void Set(string connectionString, string description)
    {
        _connectionString = connectionString;
        Description = description;
    }
}
