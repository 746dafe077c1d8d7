using Agent.Dicom.Network.Association;
using Agent.Dicom.Network.Dimse;
using Agent.Dicom.Network.Services;
using Microsoft.Extensions.Logging;

namespace Agent.Dicom.Network.Scp;

/// <summary>
/// C-STORE SCP (PS3.4 B): the data set streams into the store provider's sink as it arrives, never held in memory.
/// A refusal (no provider, SOP class not the context's, provider refused, data set too large, storage error) is
/// remembered, the rest of the data set is drained, and the response carries the refusal's status.
/// </summary>
internal sealed class StoreHandler(IStoreProvider? provider, AssociationOptions options, ILogger logger) : DimseRequestHandler
{
    public override async ValueTask<IDataSetReceiver?> BeginDataSetAsync(ReceivedRequest request, CancellationToken cancellationToken)
    {
        var receiver = new StoreDataSet(options.MaxStoreDataSetLength);
        if (provider is null)
        {
            receiver.Fail(new StoreResult(DimseStatus.SopClassNotSupported, "this association does not accept C-STORE"));
            return receiver;
        }
        var cmd = request.Command;
        var sopClass = cmd.AffectedSopClassUid ?? "";
        if (sopClass != request.Context.AbstractSyntax)
        {
            receiver.Fail(new StoreResult(DimseStatus.DataSetDoesNotMatchSopClass,
                $"affected SOP class {sopClass} differs from the presentation context's {request.Context.AbstractSyntax}"));
            return receiver;
        }
        try
        {
            receiver.Sink = await provider.BeginStoreAsync(new StoreRequestInfo
            {
                Association = request.Association, SopClassUid = sopClass, SopInstanceUid = cmd.AffectedSopInstanceUid ?? "",
                TransferSyntaxUid = request.Context.TransferSyntax, MessageId = cmd.MessageId, Priority = cmd.Priority,
                MoveOriginatorAeTitle = cmd.MoveOriginatorAeTitle, MoveOriginatorMessageId = cmd.MoveOriginatorMessageId,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreRefusedException ex)
        {
            receiver.Fail(new StoreResult(ex.Status, ex.Message));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            receiver.Fail(new StoreResult(DimseStatus.RefusedOutOfResources, "storage unavailable: " + ex.Message));
        }
        return receiver;
    }

    public override async ValueTask HandleAsync(ReceivedRequest request, IDataSetReceiver? dataSet, CancellationToken cancellationToken)
    {
        var result = dataSet is StoreDataSet received
            ? await received.CompleteAsync(cancellationToken).ConfigureAwait(false)
            : new StoreResult(DimseStatus.CannotUnderstand, "C-STORE without a data set");
        var response = request.CreateResponse(result.Status);
        response.AffectedSopInstanceUid = request.Command.AffectedSopInstanceUid;
        if (!result.Status.IsSuccess)
        {
            if (result.ErrorComment is { } comment) response.ErrorComment = comment.Length > 64 ? comment[..64] : comment;
            NetLog.StoreFailed(logger, request.Command.AffectedSopInstanceUid ?? "", result.Status.ToString(), result.ErrorComment);
        }
        await request.RespondAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One instance arriving: fragments go to the provider's sink until the first failure, then are drained.</summary>
    private sealed class StoreDataSet(long maxLength) : IDataSetReceiver
    {
        private long _length;
        private StoreResult? _failure;

        public IStoreSink? Sink { get; set; }

        public void Fail(StoreResult failure) => _failure ??= failure;

        public async ValueTask WriteAsync(ReadOnlyMemory<byte> fragment, CancellationToken cancellationToken)
        {
            _length += fragment.Length;
            if (Sink is null) return;
            if (_length > maxLength)
            {
                await FailSinkAsync(new StoreResult(DimseStatus.RefusedOutOfResources, $"data set larger than {maxLength} bytes")).ConfigureAwait(false);
                return;
            }
            try
            {
                await Sink.WriteAsync(fragment, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DicomFormatException or InvalidOperationException)
            {
                await FailSinkAsync(new StoreResult(DimseStatus.RefusedOutOfResources, "storage failed: " + ex.Message)).ConfigureAwait(false);
            }
        }

        /// <summary>The status for the response: the first failure, or what the sink says once it has everything.</summary>
        public async ValueTask<StoreResult> CompleteAsync(CancellationToken cancellationToken)
        {
            if (_failure is { } failure) return failure;
            var sink = Sink!;
            Sink = null;
            try
            {
                return await sink.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DicomFormatException or InvalidOperationException)
            {
                return new StoreResult(DimseStatus.RefusedOutOfResources, "storage failed: " + ex.Message);
            }
            finally
            {
                await sink.DisposeAsync().ConfigureAwait(false);
            }
        }

        private async ValueTask FailSinkAsync(StoreResult failure)
        {
            Fail(failure);
            if (Sink is { } sink)
            {
                Sink = null;
                await sink.DisposeAsync().ConfigureAwait(false);
            }
        }

        /// <summary>Without <see cref="CompleteAsync"/> (association ended mid-instance): the sink discards what it has.</summary>
        public async ValueTask DisposeAsync()
        {
            if (Sink is { } sink)
            {
                Sink = null;
                await sink.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
