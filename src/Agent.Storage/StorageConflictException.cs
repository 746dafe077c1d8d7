namespace Agent.Storage;

/// <summary>A write contradicts what the database already holds (e.g. same model version, other weights).</summary>
public sealed class StorageConflictException : Exception
{
    public StorageConflictException(string message)
        : base(message)
    {
    }

    public StorageConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
