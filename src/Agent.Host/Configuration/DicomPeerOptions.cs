namespace Agent.Host.Configuration;

/// <summary>One allow-list entry under <c>Agent:Dicom:AllowedPeers</c>.</summary>
public sealed class DicomPeerOptions
{
    /// <summary>Calling AE title the peer must use; "*" for any.</summary>
    public string AeTitle { get; set; } = "*";

    /// <summary>Source network in CIDR form (10.0.0.0/8, ::1/128) or a single address.</summary>
    public string Network { get; set; } = "";
}
