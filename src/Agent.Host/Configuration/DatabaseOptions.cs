namespace Agent.Host.Configuration;

/// <summary>The provenance database (section <c>Agent:Database</c>).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Agent:Database";

    /// <summary>Npgsql connection string of an existing server; empty runs an embedded cluster under DataFolder/postgres.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Folder holding initdb/pg_ctl/postgres for the embedded cluster; empty finds PostgreSQL 15's.</summary>
    public string PostgresBinDirectory { get; set; } = "";

    public bool IsEmbedded => string.IsNullOrWhiteSpace(ConnectionString);
}
