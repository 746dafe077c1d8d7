using Agent.Dicom;
using Agent.Dicom.Network.Dimse;
using Agent.Dicom.Network.Services;
using Microsoft.Extensions.Logging;

namespace Agent.Dicom.Network.Scp;

/// <summary>
/// The SCP side of a DIMSE-N service (PS3.7 10.1) for one SOP class: what every N request needs before its service
/// looks at it (the SOP class is the presentation context's, the instance UID is a UID, the data set parses), and the
/// one response after. A provider that throws is answered 0110 (Processing failure) and logged, never an abort: the
/// association goes on.
/// </summary>
internal abstract class NRequestHandler(ILogger logger) : DimseRequestHandler
{
    protected ILogger Logger { get; } = logger;

    public sealed override async ValueTask HandleAsync(ReceivedRequest request, IDataSetReceiver? dataSet, CancellationToken cancellationToken)
    {
        var command = request.Command;
        var response = Check(request) ?? await ReadAndAnswerAsync(request, dataSet as BufferedDataSet, cancellationToken).ConfigureAwait(false);
        var rsp = response.BuildCommand(command.MessageId);
        // Fields a response repeats from its request unless the service says otherwise (N-CREATE: the instance created).
        rsp.AffectedSopClassUid ??= request.Context.AbstractSyntax;
        rsp.AffectedSopInstanceUid ??= command.AffectedSopInstanceUid ?? command.RequestedSopInstanceUid;
        if (command.CommandField == CommandField.NEventReportRequest) rsp.EventTypeId ??= command.EventTypeId;
        if (command.CommandField == CommandField.NActionRequest) rsp.ActionTypeId ??= command.ActionTypeId;
        if (!rsp.Status.IsSuccess)
            NetLog.NRequestRefused(Logger, command.CommandField.ToString(), DicomUids.NameOf(request.Context.AbstractSyntax),
                rsp.AffectedSopInstanceUid ?? "", rsp.Status.ToString(), rsp.ErrorComment);
        await request.RespondAsync(rsp, cancellationToken, response.DataSet).ConfigureAwait(false);
    }

    /// <summary>The service's answer to a request that passed the common checks; <paramref name="dataSet"/> is null when none was sent.</summary>
    protected abstract ValueTask<NResponse> AnswerAsync(ReceivedRequest request, DicomDataset? dataSet, CancellationToken cancellationToken);

    /// <summary>The response type of <paramref name="request"/> carrying <paramref name="result"/>.</summary>
    protected static NResponse Answer(ReceivedRequest request, NServiceResult result, string? sopInstanceUid = null, params DicomTag[] offendingElements)
    {
        var (status, comment, id) = result;
        return request.Command.CommandField switch
        {
            CommandField.NCreateRequest => new NCreateResponse(status, comment, id, sopInstanceUid, offendingElements),
            CommandField.NSetRequest => new NSetResponse(status, comment, id, sopInstanceUid, offendingElements),
            CommandField.NGetRequest => new NGetResponse(status, comment, id, sopInstanceUid, offendingElements),
            CommandField.NActionRequest => new NActionResponse(status, comment, id, sopInstanceUid, offendingElements),
            CommandField.NEventReportRequest => new NEventReportResponse(status, comment, id, sopInstanceUid, offendingElements),
            CommandField.NDeleteRequest => new NDeleteResponse(status, comment, id, sopInstanceUid, offendingElements),
            var other => throw new InvalidOperationException($"{other} is not a DIMSE-N request"),
        };
    }

    private static NResponse? Check(ReceivedRequest request)
    {
        var command = request.Command;
        var affected = command.CommandField is CommandField.NCreateRequest or CommandField.NEventReportRequest;
        var sopClass = affected ? command.AffectedSopClassUid : command.RequestedSopClassUid;
        if (sopClass != request.Context.AbstractSyntax)
            return Answer(request, new NServiceResult(DimseStatus.NoSuchSopClass, $"SOP class {sopClass} is not the context's"));
        var instance = affected ? command.AffectedSopInstanceUid : command.RequestedSopInstanceUid;
        // Only N-CREATE may leave the instance to the SCP (PS3.7 10.1.5.1.4); the UID becomes a key of the provider's store.
        if (instance is null && command.CommandField != CommandField.NCreateRequest)
            return Answer(request, new NServiceResult(DimseStatus.InvalidSopInstance, "no SOP Instance UID"));
        if (instance is not null && DicomUid.Problem(instance) is { } problem)
            return Answer(request, new NServiceResult(DimseStatus.InvalidSopInstance, problem));
        return null;
    }

    private async ValueTask<NResponse> ReadAndAnswerAsync(ReceivedRequest request, BufferedDataSet? buffered, CancellationToken cancellationToken)
    {
        DicomDataset? dataSet;
        try
        {
            dataSet = buffered?.Read(request.Context.TransferSyntax);
        }
        catch (DicomFormatException ex)
        {
            return Answer(request, new NServiceResult(DimseStatus.ProcessingFailure, "data set cannot be read: " + ex.Message));
        }
        try
        {
            return await AnswerAsync(request, dataSet, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            // A failing provider (database down, a bug) refuses this request only; the sender may retry it.
            NetLog.NProviderFailed(Logger, request.Command.CommandField.ToString(), DicomUids.NameOf(request.Context.AbstractSyntax), ex);
            return Answer(request, new NServiceResult(DimseStatus.ProcessingFailure, "provider failed: " + ex.Message));
        }
    }
}
