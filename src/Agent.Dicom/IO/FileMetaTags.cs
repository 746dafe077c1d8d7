namespace Agent.Dicom.IO;

/// <summary>File meta and identifying tags this layer needs (kept local so it builds before the generated dictionary).</summary>
internal static class FileMetaTags
{
    public static readonly DicomTag GroupLength = new(0x00020000);
    public static readonly DicomTag FileMetaInformationVersion = new(0x00020001);
    public static readonly DicomTag MediaStorageSOPClassUID = new(0x00020002);
    public static readonly DicomTag MediaStorageSOPInstanceUID = new(0x00020003);
    public static readonly DicomTag TransferSyntaxUID = new(0x00020010);
    public static readonly DicomTag ImplementationClassUID = new(0x00020012);
    public static readonly DicomTag ImplementationVersionName = new(0x00020013);
    public static readonly DicomTag SourceApplicationEntityTitle = new(0x00020016);
    public static readonly DicomTag SOPClassUID = new(0x00080016);
    public static readonly DicomTag SOPInstanceUID = new(0x00080018);
}
