namespace Agent.Host.Configuration;

/// <summary>Where received instances and the embedded database live (section <c>Agent:Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string Section = "Agent:Storage";

    /// <summary>Data folder; a relative path is resolved against AGENT_HOME (or the working directory).</summary>
    public string DataFolder { get; set; } = "data";

    /// <summary>New associations are refused while the data folder's file system has less free space than this.</summary>
    public long MinFreeSpaceMB { get; set; } = 1024;

    /// <summary>What a second instance with an already stored SOP Instance UID does.</summary>
    public DuplicatePolicy DuplicatePolicy { get; set; } = DuplicatePolicy.KeepFirst;
}

/// <summary>Policy for a received SOP Instance UID that is already stored.</summary>
public enum DuplicatePolicy
{
    /// <summary>Keep the stored file and its index row; answer success so the sender does not retry forever.</summary>
    KeepFirst,

    /// <summary>Atomically replace the stored file with the new one and re-index it.</summary>
    Overwrite,
}
