using Agent.Results.Common;

namespace Agent.Results.Reports;

/// <summary>Identity and provenance of a TID 1500 report; UIDs default to new ones.</summary>
public sealed record MeasurementReportOptions
{
    public required AlgorithmIdentity Algorithm { get; init; }
    public EquipmentIdentity Equipment { get; init; } = new();
    public string? SeriesInstanceUid { get; init; }
    public string? SopInstanceUid { get; init; }
    public int SeriesNumber { get; init; } = 9902;
    public int InstanceNumber { get; init; } = 1;
    public string SeriesDescription { get; init; } = "AI measurements (for review, AI result)";

    /// <summary>Stable UID of this device (Device Observer UID); a name-derived default keeps it constant across runs.</summary>
    public string DeviceObserverUid { get; init; } = Agent.Dicom.DicomUidGenerator.CreateFromName("agent-device-observer");

    public DateTimeOffset? Created { get; init; }
}
