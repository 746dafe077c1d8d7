using Agent.Dicom;
using Agent.Dicom.Network.Association;

namespace Agent.Dicom.Network.Services;

/// <summary>One instance the Storage Commitment SCP did not commit, with its Failure Reason (0008,1197), PS3.3 C.14.1.1.</summary>
public sealed record StorageCommitmentFailure(SopReference Sop, ushort FailureReason)
{
    /// <summary>The Failure Reason's meaning: 0110 processing failure, 0112 no such object instance, 0213 resource limitation, ...</summary>
    public string Meaning => FailureReason switch
    {
        0x0110 => "processing failure",
        0x0112 => "no such object instance",
        0x0213 => "resource limitation",
        0x0122 => "referenced SOP class not supported",
        0x0119 => "class/instance conflict",
        0x0131 => "duplicate transaction UID",
        _ => "unknown failure reason",
    };
}

/// <summary>
/// A Storage Commitment result (N-EVENT-REPORT, PS3.4 J.3.3): event type 1 when every instance was committed, 2 when
/// some failed. Instances listed in <see cref="Committed"/> are the PACS's responsibility from now on.
/// </summary>
public sealed record StorageCommitmentReport
{
    public const ushort AllCommittedEvent = 1;
    public const ushort FailuresExistEvent = 2;

    public required AssociationInfo Association { get; init; }
    public required string TransactionUid { get; init; }
    public required ushort EventTypeId { get; init; }
    public IReadOnlyList<SopReference> Committed { get; init; } = [];
    public IReadOnlyList<StorageCommitmentFailure> Failed { get; init; } = [];

    /// <summary>Where the committed instances can be retrieved, when the SCP says.</summary>
    public string? RetrieveAeTitle { get; init; }

    /// <summary>The event information as received.</summary>
    public required DicomDataset EventInformation { get; init; }

    /// <summary>True when the report arrived on the association that carried the request (else on a later one to our SCP).</summary>
    public bool OnRequestingAssociation { get; init; }
}

/// <summary>
/// Receives Storage Commitment results for requests this application made as SCU (see
/// <c>DicomClient.CommitAsync</c>): on the requesting association, or on one the PACS opens to our server later.
/// </summary>
public interface IStorageCommitmentReportProvider
{
    /// <summary>The status of the N-EVENT-REPORT-RSP: Success once the result is recorded; a failure tells the PACS it was not.</summary>
    ValueTask<NServiceResult> OnReportAsync(StorageCommitmentReport report, CancellationToken cancellationToken);
}
