namespace Agent.Dicom;

/// <summary>How this implementation identifies itself in file meta information and association negotiation.</summary>
public static class DicomImplementation
{
    /// <summary>A UUID-derived UID (PS3.5 B.2) generated once for this product and fixed forever.</summary>
    public const string ClassUid = "2.25.170461118358870022817301038139727806799";

    public const string VersionName = "AGENT_010";
}
