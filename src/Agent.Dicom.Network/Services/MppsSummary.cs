using Agent.Dicom;

namespace Agent.Dicom.Network.Services;

/// <summary>Performed Procedure Step Status (0040,0252) of a Modality Performed Procedure Step (PS3.4 F.1.1).</summary>
public enum PerformedProcedureStepStatus
{
    InProgress,
    Completed,
    Discontinued,
}

/// <summary>The defined terms of (0040,0252) as they are written.</summary>
public static class PerformedProcedureStepStatusText
{
    public static string ToCode(this PerformedProcedureStepStatus status) => status switch
    {
        PerformedProcedureStepStatus.InProgress => "IN PROGRESS",
        PerformedProcedureStepStatus.Completed => "COMPLETED",
        _ => "DISCONTINUED",
    };

    public static bool TryParse(string? code, out PerformedProcedureStepStatus status)
    {
        switch (code)
        {
            case "IN PROGRESS": status = PerformedProcedureStepStatus.InProgress; return true;
            case "COMPLETED": status = PerformedProcedureStepStatus.Completed; return true;
            case "DISCONTINUED": status = PerformedProcedureStepStatus.Discontinued; return true;
            default: status = default; return false;
        }
    }
}

/// <summary>One item of the Performed Series Sequence: a series the step produced and the instances it lists (possibly none).</summary>
public sealed record PerformedSeries(string SeriesInstanceUid, string? RetrieveAeTitle, IReadOnlyList<SopReference> Instances);

/// <summary>
/// What an MPPS says about the images it produced, for series completion: its state, its studies and the Performed
/// Series Sequence with the instances of each series (Referenced Image Sequence and Referenced Non-Image Composite SOP
/// Instance Sequence). Modalities often send it before the images, and sometimes without instance references.
/// </summary>
public sealed record MppsSummary
{
    public required string SopInstanceUid { get; init; }
    public required PerformedProcedureStepStatus Status { get; init; }

    /// <summary>True once the step is COMPLETED or DISCONTINUED: its series list will not change any more.</summary>
    public bool IsFinal => Status != PerformedProcedureStepStatus.InProgress;

    /// <summary>Study Instance UIDs of the Scheduled Step Attributes Sequence items, each once.</summary>
    public IReadOnlyList<string> StudyInstanceUids { get; init; } = [];
    public string? PatientId { get; init; }
    public string? Modality { get; init; }
    public IReadOnlyList<PerformedSeries> Series { get; init; } = [];

    /// <summary>Reads an MPPS attribute set (as created, or as merged after an N-SET). Items without their UIDs are left out.</summary>
    /// <exception cref="DicomFormatException">(0040,0252) is missing or not one of the defined terms.</exception>
    public static MppsSummary Parse(string sopInstanceUid, DicomDataset attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var code = attributes.GetString(DicomTags.PerformedProcedureStepStatus);
        if (!PerformedProcedureStepStatusText.TryParse(code, out var status))
            throw new DicomFormatException($"Performed Procedure Step Status '{code}' is not IN PROGRESS, COMPLETED or DISCONTINUED");
        var studies = Sequences.Items(attributes, DicomTags.ScheduledStepAttributesSequence)
            .Select(i => i.GetString(DicomTags.StudyInstanceUID)).OfType<string>().Where(u => u.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var series = new List<PerformedSeries>();
        foreach (var item in Sequences.Items(attributes, DicomTags.PerformedSeriesSequence))
        {
            if (item.GetString(DicomTags.SeriesInstanceUID) is not { Length: > 0 } uid) continue;
            var instances = Sequences.References(item, DicomTags.ReferencedImageSequence).Concat(Sequences.References(item, DicomTags.ReferencedNonImageCompositeSOPInstanceSequence)).ToList();
            series.Add(new PerformedSeries(uid, NullIfEmpty(item.GetString(DicomTags.RetrieveAETitle)), instances));
        }
        return new MppsSummary
        {
            SopInstanceUid = sopInstanceUid, Status = status, StudyInstanceUids = studies, Series = series,
            PatientId = NullIfEmpty(attributes.GetString(DicomTags.PatientID)), Modality = NullIfEmpty(attributes.GetString(DicomTags.Modality)),
        };
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
