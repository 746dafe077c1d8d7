namespace Agent.Storage;

/// <summary>Which PostgreSQL the agent uses. No connection string: the embedded cluster under <see cref="DataDirectory"/>.</summary>
public sealed class AgentDatabaseOptions
{
    /// <summary>An existing server (Npgsql syntax). Null or empty: run the embedded cluster.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>The agent's data folder; the embedded cluster lives in <c>{DataDirectory}/postgres</c>.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>PostgreSQL server binaries for the embedded cluster (null: found automatically).</summary>
    public string? PostgresBinDirectory { get; init; }

    /// <summary>OS user running the embedded server when the agent runs as root.</summary>
    public string PostgresOsUser { get; init; } = "postgres";

    /// <summary>Migrations folder (null: <c>migrations/</c> next to the application).</summary>
    public string? MigrationsDirectory { get; init; }

    /// <summary>Tests only: create the embedded cluster without syncing it to disk (initdb --no-sync), run it durable.</summary>
    internal bool FastEmbeddedInit { get; init; }

    /// <summary>How long to wait for an external server to accept connections at start-up (it may start after us).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
