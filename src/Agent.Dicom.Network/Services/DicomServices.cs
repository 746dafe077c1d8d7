namespace Agent.Dicom.Network.Services;

/// <summary>
/// The service providers an association answers requests with (SCP roles, SCP-of-storage during C-GET, and the
/// Storage Commitment reports we receive as that service's SCU). Without a DIMSE-N provider the server does not
/// accept that SOP class, and its requests on a client's association are answered 0211 (Unrecognized Operation).
/// </summary>
public sealed record DicomServices
{
    public IEchoProvider? Echo { get; init; }
    public IStoreProvider? Store { get; init; }

    /// <summary>Modality Performed Procedure Step SCP (PS3.4 F): N-CREATE and N-SET.</summary>
    public IMppsProvider? Mpps { get; init; }

    /// <summary>Instance Availability Notification SCP (PS3.4 R): N-CREATE.</summary>
    public IInstanceAvailabilityProvider? InstanceAvailability { get; init; }

    /// <summary>Storage Commitment Push Model results (PS3.4 J) for requests we made as SCU: N-EVENT-REPORT.</summary>
    public IStorageCommitmentReportProvider? StorageCommitmentReports { get; init; }
}
