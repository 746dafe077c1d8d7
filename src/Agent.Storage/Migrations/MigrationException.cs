namespace Agent.Storage.Migrations;

/// <summary>The database schema could not be brought up to date; the message names the migration and the reason.</summary>
public sealed class MigrationException : Exception
{
    public MigrationException(string message)
        : base(message)
    {
    }

    public MigrationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
