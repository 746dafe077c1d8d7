namespace Agent.Host.Ingest;

/// <summary>What is read back from a stored file's header to place and index it (everything before Pixel Data).</summary>
public sealed class InstanceHeader
{
    public string? StudyInstanceUid { get; init; }
    public string? SeriesInstanceUid { get; init; }
    public string? SopInstanceUid { get; init; }
    public string? SopClassUid { get; init; }
    public string? TransferSyntaxUid { get; init; }

    /// <summary>Attributes the index keeps (patient, study, series keys and what rules match on), by keyword.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();
}

/// <summary>Reads the header of a Part 10 file (stopping before Pixel Data).</summary>
public interface IInstanceHeaderReader
{
    /// <exception cref="Agent.Dicom.DicomFormatException">The file cannot be parsed.</exception>
    Task<InstanceHeader> ReadAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the header of a file just written, preferring <paramref name="head"/> (a copy of its first bytes) and
    /// reading <paramref name="path"/> only when the head does not hold everything up to Pixel Data.
    /// </summary>
    /// <exception cref="Agent.Dicom.DicomFormatException">The file cannot be parsed.</exception>
    Task<InstanceHeader> ReadAsync(string path, ReadOnlyMemory<byte> head, long fileLength, CancellationToken cancellationToken) =>
        ReadAsync(path, cancellationToken);
}

/// <summary>One received instance as the index records it.</summary>
public sealed record IndexedInstance(
    InstanceHeader Header,
    InstanceKeys Keys,
    StoredFile File,
    long? AssociationId,
    DateTimeOffset ReceivedAt);

/// <summary>The provenance index of received instances (PostgreSQL in production).</summary>
public interface IInstanceIndex
{
    /// <summary>Records the instance; idempotent for the same SOP Instance UID. Throws when the database cannot.</summary>
    Task IndexAsync(IndexedInstance instance, CancellationToken cancellationToken);
}
