using Agent.Dicom;

namespace Agent.Dicom.Network;

/// <summary>The few data element tags the network layer uses itself (until the generated DicomTags cover them).</summary>
public static class NetworkTags
{
    public static readonly DicomTag QueryRetrieveLevel = new(0x00080052);
    public static readonly DicomTag SopClassUid = new(0x00080016);
    public static readonly DicomTag SopInstanceUid = new(0x00080018);
    public static readonly DicomTag StudyInstanceUid = new(0x0020000D);
    public static readonly DicomTag SeriesInstanceUid = new(0x0020000E);
    public static readonly DicomTag PatientId = new(0x00100020);
    public static readonly DicomTag PatientName = new(0x00100010);
    public static readonly DicomTag StudyDate = new(0x00080020);
    public static readonly DicomTag AccessionNumber = new(0x00080050);
    public static readonly DicomTag Modality = new(0x00080060);
    public static readonly DicomTag FailedSopInstanceUidList = new(0x00080058);
    public static readonly DicomTag NumberOfStudyRelatedInstances = new(0x00201208);
}
