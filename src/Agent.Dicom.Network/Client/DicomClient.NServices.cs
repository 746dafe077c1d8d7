using Agent.Dicom;
using Agent.Dicom.Network.Dimse;
using Agent.Dicom.Network.Services;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Agent.Dicom.Network.Client;

/// <summary>What a Storage Commitment request came to: the PACS's N-ACTION response, and its result when it came on the same association.</summary>
public sealed record StorageCommitmentResult(NActionResponse Response, StorageCommitmentReport? Report)
{
    /// <summary>The PACS took the request; its result is <see cref="Report"/>, or will reach our server's report provider.</summary>
    public bool Accepted => Response.Status.IsSuccess;
}

/// <summary>The SCU side of the DIMSE-N services: MPPS and IAN (our own SCU; DCMTK has none) and Storage Commitment.</summary>
public sealed partial class DicomClient
{
    /// <summary>MPPS N-CREATE (PS3.4 F.7.2.1): a step starts, status IN PROGRESS. A null UID lets the SCP assign one (see the response).</summary>
    public Task<NCreateResponse> CreateMppsAsync(string? sopInstanceUid, DicomDataset attributes, CancellationToken cancellationToken = default)
        => SendAsync(new NCreateRequest(DicomUids.ModalityPerformedProcedureStep.Uid, sopInstanceUid, attributes), cancellationToken);

    /// <summary>MPPS N-SET (PS3.4 F.7.2.2): updates a step IN PROGRESS, or ends it COMPLETED or DISCONTINUED.</summary>
    public Task<NSetResponse> SetMppsAsync(string sopInstanceUid, DicomDataset modifications, CancellationToken cancellationToken = default)
        => SendAsync(new NSetRequest(DicomUids.ModalityPerformedProcedureStep.Uid, sopInstanceUid, modifications), cancellationToken);

    /// <summary>Instance Availability Notification N-CREATE (PS3.4 R.2): tells the peer which instances are available where.</summary>
    public Task<NCreateResponse> NotifyInstanceAvailabilityAsync(string? sopInstanceUid, DicomDataset attributes, CancellationToken cancellationToken = default)
        => SendAsync(new NCreateRequest(DicomUids.InstanceAvailabilityNotification.Uid, sopInstanceUid, attributes), cancellationToken);

    /// <summary>The Storage Commitment Push Model N-ACTION (PS3.4 J.3.2): action type 1 for a transaction and the instances to commit.</summary>
    public static NActionRequest StorageCommitmentRequest(string transactionUid, IReadOnlyList<SopReference> references)
    {
        if (DicomUid.Problem(transactionUid ?? "") is { } problem) throw new ArgumentException("transaction: " + problem, nameof(transactionUid));
        if (references is not { Count: > 0 }) throw new ArgumentException("name at least one instance to commit", nameof(references));
        var information = new DicomDataset();
        information.AddOrUpdate(DicomTags.TransactionUID, DicomVR.UI, transactionUid!);
        information.AddOrUpdate(DicomTags.ReferencedSOPSequence, references.Select(r => new DicomDataset()
            .AddOrUpdate(DicomTags.ReferencedSOPClassUID, DicomVR.UI, r.SopClassUid)
            .AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, r.SopInstanceUid)).ToArray());
        return new NActionRequest(DicomUids.StorageCommitmentPushModel.Uid, DicomUids.StorageCommitmentPushModelInstance.Uid, 1, information);
    }

    /// <summary>
    /// Asks <paramref name="destination"/> to commit to keeping <paramref name="references"/> (Storage Commitment Push
    /// Model SCU, PS3.4 J) on an association of its own, then waits up to
    /// <see cref="DicomClientOptions.StorageCommitmentReportWait"/> for the result on it. A result that comes later
    /// arrives at our server instead (<see cref="DicomServices.StorageCommitmentReports"/>). Results on this
    /// association go to <paramref name="reports"/> first, when given, so they are recorded before they are
    /// acknowledged; one for another transaction goes only there.
    /// </summary>
    public static async Task<StorageCommitmentResult> CommitAsync(DicomClientOptions destination, string transactionUid, IReadOnlyList<SopReference> references,
        IStorageCommitmentReportProvider? reports = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        logger ??= NullLogger.Instance;
        var request = StorageCommitmentRequest(transactionUid, references);
        var waiter = new ReportWaiter(transactionUid, reports);
        var client = await ConnectForAsync(destination, [request], new DicomServices { StorageCommitmentReports = waiter }, logger, cancellationToken).ConfigureAwait(false);
        await using (client.ConfigureAwait(false))
        {
            var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            NetLog.CommitmentRequested(logger, transactionUid, destination.CalledAeTitle, references.Count, response.Status.ToString());
            StorageCommitmentReport? report = null;
            if (response.Status.IsSuccess && destination.StorageCommitmentReportWait > TimeSpan.Zero)
                report = await client.WaitForReportAsync(waiter, destination.StorageCommitmentReportWait, cancellationToken).ConfigureAwait(false);
            waiter.StopWaiting();
            if (client.IsConnected) await client.ReleaseAsync(cancellationToken).ConfigureAwait(false);
            return new StorageCommitmentResult(response, report);
        }
    }

    /// <summary>The result, or null when the wait ends or the association does first.</summary>
    private async Task<StorageCommitmentReport?> WaitForReportAsync(ReportWaiter waiter, TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            var first = await Task.WhenAny(waiter.Report, _loop).WaitAsync(wait, cancellationToken).ConfigureAwait(false);
            return first == waiter.Report ? await waiter.Report.ConfigureAwait(false) : null;
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    /// <summary>The report provider of a commitment's own association: hands its transaction's result to the waiting request.</summary>
    private sealed class ReportWaiter(string transactionUid, IStorageCommitmentReportProvider? reports) : IStorageCommitmentReportProvider
    {
        private readonly TaskCompletionSource<StorageCommitmentReport> _report = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile bool _waiting = true;

        public Task<StorageCommitmentReport> Report => _report.Task;

        public void StopWaiting() => _waiting = false;

        public async ValueTask<NServiceResult> OnReportAsync(StorageCommitmentReport report, CancellationToken cancellationToken)
        {
            report = report with { OnRequestingAssociation = true };
            var awaited = _waiting && report.TransactionUid == transactionUid;
            // Without a provider, a result nobody waits for is refused rather than acknowledged and lost.
            var result = reports is not null ? await reports.OnReportAsync(report, cancellationToken).ConfigureAwait(false)
                : awaited ? NServiceResult.Success
                : new NServiceResult(DimseStatus.ProcessingFailure, $"no request waits for transaction {report.TransactionUid}");
            if (awaited && result.Status.IsSuccess) _report.TrySetResult(report);
            return result;
        }
    }
}
