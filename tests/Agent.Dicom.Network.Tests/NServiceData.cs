using Agent.Dicom;

namespace Agent.Dicom.Network.Tests;

/// <summary>
/// Attribute lists as modalities and PACS send them: an MPPS N-CREATE of a CT (PS3.4 Table F.7.2-1 with its type 2
/// attributes empty), its final N-SET, and an Instance Availability Notification (PS3.3 C.4.23).
/// </summary>
internal static class NServiceData
{
    public const string CtImage = "1.2.840.10008.5.1.4.1.1.2";
    public const string SecondaryCapture = "1.2.840.10008.5.1.4.1.1.7";

    public static string Uid() => DicomUidGenerator.Create();

    private static DicomDataset Empty(this DicomDataset ds, DicomTag tag)
        => ds.AddOrUpdate(new DicomSequence(tag));

    public static DicomDataset MppsCreate(string studyUid)
    {
        var step = new DicomDataset()
            .AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, studyUid)
            .AddOrUpdate(DicomTags.AccessionNumber, DicomVR.SH, "ACC123")
            .AddOrUpdate(DicomTags.RequestedProcedureID, DicomVR.SH, "RP1")
            .AddOrUpdate(DicomTags.ScheduledProcedureStepID, DicomVR.SH, "SPS1")
            .AddOrUpdate(DicomTags.ScheduledProcedureStepDescription, DicomVR.LO, "CT abdomen")
            .Empty(DicomTags.ReferencedStudySequence);
        return new DicomDataset()
            .AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 100")
            .AddOrUpdate(DicomTags.Modality, DicomVR.CS, "CT")
            .AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Müller^Anna")
            .AddOrUpdate(DicomTags.PatientID, DicomVR.LO, "PID-7")
            .AddOrUpdate(DicomTags.PatientBirthDate, DicomVR.DA, "19600101")
            .AddOrUpdate(DicomTags.PatientSex, DicomVR.CS, "F")
            .Empty(DicomTags.ReferencedPatientSequence)
            .AddOrUpdate(DicomTags.StudyID, DicomVR.SH, "S1")
            .AddOrUpdate(DicomTags.PerformedStationAETitle, DicomVR.AE, "CT01")
            .AddOrUpdate(DicomTags.PerformedStationName, DicomVR.SH, "CT Room 1")
            .AddOrUpdate(DicomTags.PerformedLocation, DicomVR.SH, "")
            .AddOrUpdate(DicomTags.PerformedProcedureStepStartDate, DicomVR.DA, "20261201")
            .AddOrUpdate(DicomTags.PerformedProcedureStepStartTime, DicomVR.TM, "101500")
            .AddOrUpdate(DicomTags.PerformedProcedureStepEndDate, DicomVR.DA, "")
            .AddOrUpdate(DicomTags.PerformedProcedureStepEndTime, DicomVR.TM, "")
            .AddOrUpdate(DicomTags.PerformedProcedureStepStatus, DicomVR.CS, "IN PROGRESS")
            .AddOrUpdate(DicomTags.PerformedProcedureStepID, DicomVR.SH, "PPS1")
            .AddOrUpdate(DicomTags.PerformedProcedureStepDescription, DicomVR.LO, "CT abdomen")
            .AddOrUpdate(DicomTags.PerformedProcedureTypeDescription, DicomVR.LO, "")
            .Empty(DicomTags.ProcedureCodeSequence)
            .Empty(DicomTags.PerformedProtocolCodeSequence)
            .Empty(DicomTags.PerformedSeriesSequence)
            .AddOrUpdate(DicomTags.ScheduledStepAttributesSequence, step);
    }

    /// <summary>One Performed Series Sequence item; no instances means an empty Referenced Image Sequence.</summary>
    public static DicomDataset PerformedSeries(string seriesUid, params string[] imageUids)
        => new DicomDataset()
            .AddOrUpdate(DicomTags.PerformingPhysicianName, DicomVR.PN, "")
            .AddOrUpdate(DicomTags.ProtocolName, DicomVR.LO, "Abdomen portal venous")
            .AddOrUpdate(DicomTags.OperatorsName, DicomVR.PN, "Tech^One")
            .AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, seriesUid)
            .AddOrUpdate(DicomTags.SeriesDescription, DicomVR.LO, "")
            .AddOrUpdate(DicomTags.RetrieveAETitle, DicomVR.AE, "")
            .AddOrUpdate(new DicomSequence(DicomTags.ReferencedImageSequence, imageUids.Select(u => Reference(CtImage, u))))
            .Empty(DicomTags.ReferencedNonImageCompositeSOPInstanceSequence);

    public static DicomDataset Reference(string sopClass, string sopInstance)
        => new DicomDataset()
            .AddOrUpdate(DicomTags.ReferencedSOPClassUID, DicomVR.UI, sopClass)
            .AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, sopInstance);

    /// <summary>The N-SET that ends a step: status, end date and time, the series performed.</summary>
    public static DicomDataset MppsFinal(string status, params DicomDataset[] series)
        => new DicomDataset()
            .AddOrUpdate(DicomTags.PerformedProcedureStepStatus, DicomVR.CS, status)
            .AddOrUpdate(DicomTags.PerformedProcedureStepEndDate, DicomVR.DA, "20261201")
            .AddOrUpdate(DicomTags.PerformedProcedureStepEndTime, DicomVR.TM, "103000")
            .AddOrUpdate(new DicomSequence(DicomTags.PerformedSeriesSequence, series));

    /// <summary>An IAN item of the Referenced SOP Sequence.</summary>
    public static DicomDataset Available(string sopClass, string sopInstance, string availability = "ONLINE", params string[] retrieveAeTitles)
        => Reference(sopClass, sopInstance)
            .AddOrUpdate(DicomTags.InstanceAvailability, DicomVR.CS, availability)
            .AddOrUpdate(DicomTags.RetrieveAETitle, DicomVR.AE, retrieveAeTitles.Length == 0 ? ["PACS"] : retrieveAeTitles);

    public static DicomDataset IanSeries(string seriesUid, params DicomDataset[] instances)
        => new DicomDataset()
            .AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, seriesUid)
            .AddOrUpdate(new DicomSequence(DicomTags.ReferencedSOPSequence, instances));

    public static DicomDataset Ian(string studyUid, string? mppsUid, params DicomDataset[] series)
        => new DicomDataset()
            .AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, studyUid)
            .AddOrUpdate(new DicomSequence(DicomTags.ReferencedPerformedProcedureStepSequence,
                mppsUid is null ? [] : [Reference("1.2.840.10008.3.1.2.3.3", mppsUid)]))
            .AddOrUpdate(new DicomSequence(DicomTags.ReferencedSeriesSequence, series));
}
