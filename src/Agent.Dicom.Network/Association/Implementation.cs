namespace Agent.Dicom.Network.Association;

/// <summary>This implementation's identity in association negotiation (PS3.7 D.3.3.2).</summary>
public static class Implementation
{
    /// <summary>A UID under the 2.25 (UUID-derived) arc, fixed for this product.</summary>
    public const string ClassUid = "2.25.266395418106913431736408577093624561187";
    public const string VersionName = "AGENT_010";
}
