using Agent.Dicom;

namespace Agent.Dicom.Network.Services;

/// <summary>Instance Availability (0008,0056), PS3.3 C.4.23.1.1: how soon an instance can be retrieved from its holder.</summary>
public enum InstanceAvailability
{
    Online,
    Nearline,
    Offline,
    Unavailable,
}

/// <summary>The enumerated values of (0008,0056) as they are written.</summary>
public static class InstanceAvailabilityText
{
    public static string ToCode(this InstanceAvailability availability) => availability switch
    {
        InstanceAvailability.Online => "ONLINE",
        InstanceAvailability.Nearline => "NEARLINE",
        InstanceAvailability.Offline => "OFFLINE",
        _ => "UNAVAILABLE",
    };

    public static bool TryParse(string? code, out InstanceAvailability availability)
    {
        switch (code)
        {
            case "ONLINE": availability = InstanceAvailability.Online; return true;
            case "NEARLINE": availability = InstanceAvailability.Nearline; return true;
            case "OFFLINE": availability = InstanceAvailability.Offline; return true;
            case "UNAVAILABLE": availability = InstanceAvailability.Unavailable; return true;
            default: availability = default; return false;
        }
    }
}

/// <summary>One item of a Referenced SOP Sequence: the instance, whether it can be had, and from which AE titles.</summary>
public sealed record AvailableInstance(SopReference Sop, InstanceAvailability Availability, IReadOnlyList<string> RetrieveAeTitles);

/// <summary>One item of the Referenced Series Sequence: a series and the instances listed for it.</summary>
public sealed record AvailableSeries(string SeriesInstanceUid, IReadOnlyList<AvailableInstance> Instances);

/// <summary>
/// What an Instance Availability Notification says, for series completion: the study, the performed procedure steps
/// it belongs to (Referenced Performed Procedure Step Sequence) and, per series, the instances the sender now holds.
/// </summary>
public sealed record InstanceAvailabilitySummary
{
    public required string SopInstanceUid { get; init; }
    public required string StudyInstanceUid { get; init; }

    /// <summary>The MPPS (or other procedure step) instances the notification is about; often empty.</summary>
    public IReadOnlyList<SopReference> PerformedProcedureSteps { get; init; } = [];
    public IReadOnlyList<AvailableSeries> Series { get; init; } = [];

    /// <summary>Reads an IAN attribute list; items without their UIDs or with an unknown availability are left out.</summary>
    public static InstanceAvailabilitySummary Parse(string sopInstanceUid, DicomDataset attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var series = new List<AvailableSeries>();
        foreach (var item in Sequences.Items(attributes, DicomTags.ReferencedSeriesSequence))
        {
            if (item.GetString(DicomTags.SeriesInstanceUID) is not { Length: > 0 } uid) continue;
            var instances = new List<AvailableInstance>();
            foreach (var sop in Sequences.Items(item, DicomTags.ReferencedSOPSequence))
            {
                if (sop.GetString(DicomTags.ReferencedSOPClassUID) is not { Length: > 0 } sopClass
                    || sop.GetString(DicomTags.ReferencedSOPInstanceUID) is not { Length: > 0 } instance
                    || !InstanceAvailabilityText.TryParse(sop.GetString(DicomTags.InstanceAvailability), out var availability))
                    continue;
                instances.Add(new AvailableInstance(new SopReference(sopClass, instance), availability, sop.GetStrings(DicomTags.RetrieveAETitle)));
            }
            series.Add(new AvailableSeries(uid, instances));
        }
        return new InstanceAvailabilitySummary
        {
            SopInstanceUid = sopInstanceUid, StudyInstanceUid = attributes.GetString(DicomTags.StudyInstanceUID) ?? "",
            PerformedProcedureSteps = Sequences.References(attributes, DicomTags.ReferencedPerformedProcedureStepSequence).ToList(),
            Series = series,
        };
    }
}
