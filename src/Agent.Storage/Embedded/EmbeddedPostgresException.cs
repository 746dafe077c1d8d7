namespace Agent.Storage.Embedded;

/// <summary>The embedded PostgreSQL cluster could not be created, started or stopped; the message says why.</summary>
public sealed class EmbeddedPostgresException : Exception
{
    public EmbeddedPostgresException(string message)
        : base(message)
    {
    }

    public EmbeddedPostgresException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
