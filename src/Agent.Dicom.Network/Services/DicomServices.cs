namespace Agent.Dicom.Network.Services;

/// <summary>The service providers an association answers requests with (SCP roles, or SCP-of-storage during C-GET).</summary>
public sealed record DicomServices
{
    public IEchoProvider? Echo { get; init; }
    public IStoreProvider? Store { get; init; }
}
