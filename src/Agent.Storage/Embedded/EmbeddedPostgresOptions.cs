namespace Agent.Storage.Embedded;

/// <summary>Where and how the agent's own PostgreSQL cluster lives (used when no connection string is configured).</summary>
public sealed class EmbeddedPostgresOptions
{
    /// <summary>The cluster folder (PGDATA). Created with <c>initdb</c> on first use; must be on a local file system.</summary>
    public required string ClusterDirectory { get; init; }

    /// <summary>
    /// Folder holding <c>initdb</c>, <c>pg_ctl</c> and <c>postgres</c>. Null: <c>pg_config --bindir</c> when it works,
    /// else the newest <c>/usr/lib/postgresql/N/bin</c>.
    /// </summary>
    public string? BinDirectory { get; init; }

    /// <summary>The database created for the agent inside the cluster.</summary>
    public string Database { get; init; } = "agent";

    /// <summary>The cluster's superuser (the role the agent connects as; local socket, trust auth).</summary>
    public string SuperUser { get; init; } = "agent";

    /// <summary>
    /// PostgreSQL refuses to run as root. When the agent runs as root, the server runs as this OS user
    /// (via <c>runuser</c>) and the cluster folder is chowned to it. Ignored when the agent is not root.
    /// </summary>
    public string ServerOsUser { get; init; } = "postgres";

    /// <summary>Port number; with a unix socket only it just names the socket file (<c>.s.PGSQL.N</c>).</summary>
    public int Port { get; init; } = 5432;

    /// <summary>How long start-up (initdb + start + ready) and stop may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>
    /// False only for throw-away clusters (tests): initdb --no-sync, fsync off. Never for real data: a power cut
    /// could then lose acknowledged instances' index rows.
    /// </summary>
    public bool Durable { get; init; } = true;

    /// <summary>Tests only: initdb --no-sync even for a durable cluster (the run-time settings stay durable).</summary>
    internal bool InitWithoutSync { get; init; }

    /// <summary>Extra <c>postgresql.conf</c> settings (name to value, written quoted), e.g. <c>max_connections</c>.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
}
