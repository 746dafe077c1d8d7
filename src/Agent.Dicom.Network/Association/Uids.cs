namespace Agent.Dicom.Network.Association;

/// <summary>SOP class UIDs the network layer needs by name (PS3.4, PS3.6 Annex A).</summary>
public static class SopClassUids
{
    public const string Verification = "1.2.840.10008.1.1";
    public const string PatientRootFind = "1.2.840.10008.5.1.4.1.2.1.1";
    public const string PatientRootMove = "1.2.840.10008.5.1.4.1.2.1.2";
    public const string PatientRootGet = "1.2.840.10008.5.1.4.1.2.1.3";
    public const string StudyRootFind = "1.2.840.10008.5.1.4.1.2.2.1";
    public const string StudyRootMove = "1.2.840.10008.5.1.4.1.2.2.2";
    public const string StudyRootGet = "1.2.840.10008.5.1.4.1.2.2.3";
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    public const string MrImageStorage = "1.2.840.10008.5.1.4.1.1.4";
    public const string EnhancedCtImageStorage = "1.2.840.10008.5.1.4.1.1.2.1";
    public const string EnhancedMrImageStorage = "1.2.840.10008.5.1.4.1.1.4.1";
    public const string SecondaryCaptureImageStorage = "1.2.840.10008.5.1.4.1.1.7";
    public const string SegmentationStorage = "1.2.840.10008.5.1.4.1.1.66.4";
    public const string ComprehensiveSRStorage = "1.2.840.10008.5.1.4.1.1.88.33";
    public const string Comprehensive3DSRStorage = "1.2.840.10008.5.1.4.1.1.88.34";
    public const string EnhancedSRStorage = "1.2.840.10008.5.1.4.1.1.88.22";
    public const string BasicTextSRStorage = "1.2.840.10008.5.1.4.1.1.88.11";
    public const string PositronEmissionTomographyImageStorage = "1.2.840.10008.5.1.4.1.1.128";
    public const string RTStructureSetStorage = "1.2.840.10008.5.1.4.1.1.481.3";

    /// <summary>The storage SOP classes' arc (PS3.4 B.5): every "...1.1.x" class is a storage class.</summary>
    public const string StorageArc = "1.2.840.10008.5.1.4.1.1.";

    public static bool IsStorage(string uid) => uid.StartsWith(StorageArc, StringComparison.Ordinal);

    /// <summary>Common storage classes proposed as SCP role for C-GET when the caller does not list its own.</summary>
    public static IReadOnlyList<string> CommonStorage { get; } =
    [
        CtImageStorage, MrImageStorage, EnhancedCtImageStorage, EnhancedMrImageStorage, SecondaryCaptureImageStorage,
        SegmentationStorage, ComprehensiveSRStorage, Comprehensive3DSRStorage, EnhancedSRStorage, BasicTextSRStorage,
        PositronEmissionTomographyImageStorage, RTStructureSetStorage,
        "1.2.840.10008.5.1.4.1.1.1", "1.2.840.10008.5.1.4.1.1.1.1", "1.2.840.10008.5.1.4.1.1.6.1", "1.2.840.10008.5.1.4.1.1.20",
        "1.2.840.10008.5.1.4.1.1.12.1", "1.2.840.10008.5.1.4.1.1.481.1", "1.2.840.10008.5.1.4.1.1.481.2",
    ];
}
