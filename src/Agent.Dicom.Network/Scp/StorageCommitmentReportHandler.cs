using Agent.Dicom;
using Agent.Dicom.Network.Dimse;
using Agent.Dicom.Network.Services;
using Microsoft.Extensions.Logging;

namespace Agent.Dicom.Network.Scp;

/// <summary>
/// The receiving end of Storage Commitment Push Model results (PS3.4 J.3.3): the PACS, as the SOP class's SCP, sends
/// an N-EVENT-REPORT with the transaction it answers, the committed instances (event 1) and the failed ones with
/// their reasons (event 2). We are the SOP class's SCU here, whichever side opened the association.
/// </summary>
internal sealed class StorageCommitmentReportHandler(IStorageCommitmentReportProvider provider, ILogger logger) : NRequestHandler(logger)
{
    protected override async ValueTask<NResponse> AnswerAsync(ReceivedRequest request, DicomDataset? information, CancellationToken cancellationToken)
    {
        var eventType = request.Command.EventTypeId;
        if (eventType is not (StorageCommitmentReport.AllCommittedEvent or StorageCommitmentReport.FailuresExistEvent))
            return Answer(request, new NServiceResult(DimseStatus.NoSuchEventType, $"event type {eventType} is not 1 or 2"));
        // N-EVENT-REPORT has no Missing Attribute status (PS3.7 10.1.1.1.8): unusable event information is 0115 Invalid Argument Value.
        if (information?.GetString(DicomTags.TransactionUID) is not { Length: > 0 } transaction)
            return Answer(request, new NServiceResult(DimseStatus.InvalidArgumentValue, "no Transaction UID"), null, DicomTags.TransactionUID);
        var failed = Sequences.Items(information, DicomTags.FailedSOPSequence)
            .Select(item => (Sop: Sequences.Reference(item), Reason: item.GetNumber<ushort>(DicomTags.FailureReason)))
            .Where(f => f.Sop is not null)
            // A failure without its reason is still a failure; 0110 (processing failure) is the general one.
            .Select(f => new StorageCommitmentFailure(f.Sop!.Value, f.Reason ?? 0x0110)).ToList();
        if (eventType == StorageCommitmentReport.FailuresExistEvent && failed.Count == 0)
            return Answer(request, new NServiceResult(DimseStatus.InvalidArgumentValue, "event type 2 without a Failed SOP Sequence"), null, DicomTags.FailedSOPSequence);
        var report = new StorageCommitmentReport
        {
            Association = request.Association, TransactionUid = transaction, EventTypeId = eventType.Value, EventInformation = information,
            Committed = Sequences.References(information, DicomTags.ReferencedSOPSequence).ToList(), Failed = failed,
            RetrieveAeTitle = information.GetString(DicomTags.RetrieveAETitle) is { Length: > 0 } ae ? ae : null,
        };
        var result = await provider.OnReportAsync(report, cancellationToken).ConfigureAwait(false);
        if (result.Status.IsSuccess) NetLog.CommitmentReport(Logger, transaction, request.Association.ToString(), report.Committed.Count, report.Failed.Count);
        return Answer(request, result);
    }
}
