using Agent.Dicom.Network.Dimse;

namespace Agent.Dicom.Network.Scp;

/// <summary>
/// The SCP side of one DIMSE operation: where its data set goes while it arrives, and how the complete request is
/// answered. One subclass per service over one provider interface (<see cref="EchoHandler"/> over
/// <c>IEchoProvider</c>, <see cref="StoreHandler"/> over <c>IStoreProvider</c>); DIMSE-N services derive from
/// <see cref="NRequestHandler"/> (<see cref="MppsHandler"/>, <see cref="InstanceAvailabilityHandler"/>,
/// <see cref="StorageCommitmentReportHandler"/>); C-FIND/C-MOVE/C-GET SCPs are added the same way. Each is registered
/// in <see cref="DimseHandlers"/>.
/// </summary>
internal abstract class DimseRequestHandler
{
    /// <summary>
    /// Called when the request's command announces a data set, before any of it arrives. Null (the default) keeps it in
    /// memory, bounded by <c>AssociationOptions.MaxBufferedDataSetLength</c>, and passes it to <see cref="HandleAsync"/>.
    /// </summary>
    public virtual ValueTask<IDataSetReceiver?> BeginDataSetAsync(ReceivedRequest request, CancellationToken cancellationToken)
        => ValueTask.FromResult<IDataSetReceiver?>(null);

    /// <summary>
    /// Answers the complete request through <see cref="ReceivedRequest.RespondAsync"/>. <paramref name="dataSet"/> is
    /// what <see cref="BeginDataSetAsync"/> returned (or the in-memory copy); it is disposed after this returns.
    /// </summary>
    public abstract ValueTask HandleAsync(ReceivedRequest request, IDataSetReceiver? dataSet, CancellationToken cancellationToken);
}
