namespace Agent.Storage.Provenance;

/// <summary>One row of the instance index, as read back.</summary>
public sealed class IndexedInstance
{
    public long Id { get; init; }

    public string SopInstanceUid { get; init; } = "";

    public string SopClassUid { get; init; } = "";

    public string SeriesInstanceUid { get; init; } = "";

    public string StudyInstanceUid { get; init; } = "";

    public int? InstanceNumber { get; init; }

    public string TransferSyntaxUid { get; init; } = "";

    public string FilePath { get; init; } = "";

    public long FileSize { get; init; }

    public string Sha256 { get; init; } = "";

    public string AttributesJson { get; init; } = "{}";

    public long? AssociationId { get; init; }

    /// <summary>UTC.</summary>
    public DateTime ReceivedAt { get; init; }

    public int DuplicateCount { get; init; }
}
