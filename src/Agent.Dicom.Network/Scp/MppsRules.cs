using System.Collections.Frozen;
using Agent.Dicom;
using Agent.Dicom.Network.Services;

namespace Agent.Dicom.Network.Scp;

/// <summary>
/// The attribute rules of PS3.4 Table F.7.2-1 that the MPPS SCP enforces, chosen so real modalities pass: type 1 at
/// N-CREATE and in the final state must be there with a value (0120 Missing Attribute, 0121 Missing Attribute Value);
/// type 2 may be absent; attributes this table does not name are kept and passed on, never refused.
/// </summary>
internal static class MppsRules
{
    /// <summary>Type 1 in the N-CREATE column, besides the status and the Scheduled Step Attributes Sequence.</summary>
    private static readonly DicomTag[] RequiredAtCreate =
    [
        DicomTags.Modality, DicomTags.PerformedStationAETitle, DicomTags.PerformedProcedureStepStartDate,
        DicomTags.PerformedProcedureStepStartTime, DicomTags.PerformedProcedureStepID,
    ];

    /// <summary>
    /// "Not allowed" in the N-SET column: set once by N-CREATE. Some modalities send their whole data set again with
    /// every N-SET, so these are kept as created rather than refused.
    /// </summary>
    public static readonly FrozenSet<DicomTag> CreateOnly = new[]
    {
        DicomTags.ScheduledStepAttributesSequence, DicomTags.PatientName, DicomTags.PatientID, DicomTags.IssuerOfPatientID,
        DicomTags.PatientBirthDate, DicomTags.PatientSex, DicomTags.ReferencedPatientSequence, DicomTags.PerformedProcedureStepID,
        DicomTags.PerformedStationAETitle, DicomTags.PerformedStationName, DicomTags.PerformedLocation,
        DicomTags.PerformedProcedureStepStartDate, DicomTags.PerformedProcedureStepStartTime, DicomTags.Modality, DicomTags.StudyID,
    }.ToFrozenSet();

    /// <summary>N-CREATE: the step starts IN PROGRESS with the attributes that identify it.</summary>
    public static RuleViolation? CheckCreate(DicomDataset attributes)
    {
        if (NRules.Required(attributes, DicomTags.PerformedProcedureStepStatus) is { } missing) return missing;
        var status = attributes.GetString(DicomTags.PerformedProcedureStepStatus);
        if (!PerformedProcedureStepStatusText.TryParse(status, out var parsed) || parsed != PerformedProcedureStepStatus.InProgress)
            return NRules.Invalid(DicomTags.PerformedProcedureStepStatus, $"status at N-CREATE must be IN PROGRESS, is '{status}'");
        if (NRules.Required(attributes, DicomTags.ScheduledStepAttributesSequence) is { } noSteps) return noSteps;
        foreach (var step in Sequences.Items(attributes, DicomTags.ScheduledStepAttributesSequence))
        {
            if (NRules.Required(step, DicomTags.StudyInstanceUID, DicomTags.ScheduledStepAttributesSequence) is { } noStudy) return noStudy;
        }
        foreach (var tag in RequiredAtCreate)
        {
            if (NRules.Required(attributes, tag) is { } v) return v;
        }
        return null;
    }

    /// <summary>N-SET: the new status, when the modification list sets one, must be a defined term.</summary>
    public static RuleViolation? CheckStatus(DicomDataset modifications, out PerformedProcedureStepStatus? status)
    {
        status = null;
        if (!modifications.Contains(DicomTags.PerformedProcedureStepStatus)) return null;
        var code = modifications.GetString(DicomTags.PerformedProcedureStepStatus);
        if (!PerformedProcedureStepStatusText.TryParse(code, out var parsed))
            return NRules.Invalid(DicomTags.PerformedProcedureStepStatus, $"status '{code}' is not IN PROGRESS, COMPLETED or DISCONTINUED");
        status = parsed;
        return null;
    }

    /// <summary>
    /// The final state (COMPLETED or DISCONTINUED): end date and time, and a Performed Series Sequence whose items name
    /// their series and whose references name class and instance. A DISCONTINUED step may have no series (it may have
    /// stopped before the first image); Protocol Name is not required (series completion does not need it).
    /// </summary>
    public static RuleViolation? CheckFinal(DicomDataset attributes, PerformedProcedureStepStatus status)
    {
        if (NRules.Required(attributes, DicomTags.PerformedProcedureStepEndDate) is { } noDate) return noDate;
        if (NRules.Required(attributes, DicomTags.PerformedProcedureStepEndTime) is { } noTime) return noTime;
        if (status == PerformedProcedureStepStatus.Completed && NRules.Required(attributes, DicomTags.PerformedSeriesSequence) is { } noSeries) return noSeries;
        foreach (var series in Sequences.Items(attributes, DicomTags.PerformedSeriesSequence))
        {
            if (NRules.Required(series, DicomTags.SeriesInstanceUID, DicomTags.PerformedSeriesSequence) is { } noUid) return noUid;
            foreach (var sequence in new[] { DicomTags.ReferencedImageSequence, DicomTags.ReferencedNonImageCompositeSOPInstanceSequence })
            {
                foreach (var reference in Sequences.Items(series, sequence))
                {
                    if (NRules.Required(reference, DicomTags.ReferencedSOPClassUID, DicomTags.PerformedSeriesSequence, sequence) is { } noClass) return noClass;
                    if (NRules.Required(reference, DicomTags.ReferencedSOPInstanceUID, DicomTags.PerformedSeriesSequence, sequence) is { } noInstance) return noInstance;
                }
            }
        }
        return null;
    }

    /// <summary>
    /// The stored step with an N-SET applied: each element of the modification list replaces the stored one (a sequence
    /// as a whole), except create-only ones, which are reported to <paramref name="ignored"/> and kept as created.
    /// </summary>
    public static DicomDataset Merge(DicomDataset stored, DicomDataset modifications, Action<DicomTag> ignored)
    {
        var merged = stored.Clone();
        foreach (var item in modifications)
        {
            // The N-SET's Specific Character Set does not replace the stored one (PS3.4 F.7.2.2.3); CheckCharacterSet saw to it that they agree.
            if (item.Tag == DicomTags.SpecificCharacterSet) continue;
            if (CreateOnly.Contains(item.Tag))
            {
                ignored(item.Tag);
                continue;
            }
            merged.AddOrUpdate(item);
        }
        return merged;
    }

    /// <summary>
    /// Text in the modification list is decoded with the stored step's character set, so an N-SET that declares another
    /// one would be read wrongly: refused with 0106, which PS3.4 F.7.2.2.3 allows an SCP that cannot convert.
    /// </summary>
    public static RuleViolation? CheckCharacterSet(DicomDataset stored, DicomDataset modifications)
    {
        if (!modifications.Contains(DicomTags.SpecificCharacterSet)) return null;
        var declared = Normalize(modifications.GetStrings(DicomTags.SpecificCharacterSet));
        var current = Normalize(stored.GetStrings(DicomTags.SpecificCharacterSet));
        return declared == current ? null
            : NRules.Invalid(DicomTags.SpecificCharacterSet, $"character set '{declared}' differs from the N-CREATE's '{current}'");

        // The default repertoire has two spellings: none, and "ISO_IR 6".
        static string Normalize(string[] terms) => string.Join('\\', terms.Select(t => t.Trim()).Where(t => t.Length > 0 && t != "ISO_IR 6"));
    }
}
