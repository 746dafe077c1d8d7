using Agent.Dicom.Network.Services;
using Agent.Dicom.Network.Dimse;

namespace Agent.Host.Ingest;

/// <summary>The SCP's store hook: every C-STORE goes through the durable <see cref="IngestPipeline"/>.</summary>
public sealed class IngestStoreProvider(IngestPipeline pipeline, AssociationTracker associations) : IStoreProvider
{
    public async ValueTask<IStoreSink> BeginStoreAsync(StoreRequestInfo request, CancellationToken cancellationToken)
    {
        long associationId;
        try
        {
            associationId = await associations.RowIdAsync(request.Association, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new StoreRefusedException(DimseStatus.RefusedOutOfResources, "database unavailable: " + e.Message);
        }
        var session = await pipeline.BeginAsync(new IngestRequest(request.SopClassUid, request.SopInstanceUid, request.TransferSyntaxUid,
            request.Association.CallingAeTitle, associationId), cancellationToken).ConfigureAwait(false);
        return new Sink(session, request, associations);
    }

    private sealed class Sink(IngestSession session, StoreRequestInfo request, AssociationTracker associations) : IStoreSink
    {
        public ValueTask WriteAsync(ReadOnlyMemory<byte> dataSetFragment, CancellationToken cancellationToken) =>
            session.WriteAsync(dataSetFragment, cancellationToken);

        public async ValueTask<StoreResult> CompleteAsync(CancellationToken cancellationToken)
        {
            var result = await session.CompleteAsync(cancellationToken).ConfigureAwait(false);
            associations.Count(request.Association, result.Succeeded, session.BytesReceived);
            return new StoreResult(result.Status, result.Error);
        }

        public ValueTask DisposeAsync() => session.DisposeAsync();
    }
}
