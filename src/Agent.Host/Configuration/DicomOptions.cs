namespace Agent.Host.Configuration;

/// <summary>The DICOM SCP this agent runs (section <c>Agent:Dicom</c>).</summary>
public sealed class DicomOptions
{
    public const string Section = "Agent:Dicom";

    /// <summary>Our AE title: what senders put in Called AE Title. 1-16 characters of the AE repertoire.</summary>
    public string AeTitle { get; set; } = "AGENT";

    /// <summary>TCP port of the plain DICOM listener; 0 picks a free port at start (the log says which).</summary>
    public int Port { get; set; } = 11112;

    /// <summary>Local address to listen on; 0.0.0.0 for every IPv4 interface.</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>How many associations may be open at once; more are rejected (transient).</summary>
    public int MaxAssociations { get; set; } = 32;
}
