using Agent.Dicom.Network.Association;
using Agent.Dicom.Network.Dimse;

namespace Agent.Dicom.Network.Services;

/// <summary>What a C-STORE request says about the instance before its data set arrives.</summary>
public sealed record StoreRequestInfo
{
    public required AssociationInfo Association { get; init; }
    public required string SopClassUid { get; init; }
    public required string SopInstanceUid { get; init; }
    /// <summary>The transfer syntax of the presentation context: the data set bytes are in this encoding.</summary>
    public required string TransferSyntaxUid { get; init; }
    public ushort MessageId { get; init; }
    public DimsePriority Priority { get; init; }
    public string? MoveOriginatorAeTitle { get; init; }
    public ushort? MoveOriginatorMessageId { get; init; }
}

/// <summary>The outcome of one C-STORE as reported back to the sender.</summary>
public readonly record struct StoreResult(DimseStatus Status, string? ErrorComment = null)
{
    public static StoreResult Success { get; } = new(DimseStatus.Success);
}

/// <summary>
/// Receives C-STORE data sets as streams: <see cref="BeginStoreAsync"/> when the command arrives, then the data set
/// bytes as they come off the wire, so nothing is buffered beyond one PDU.
/// </summary>
public interface IStoreProvider
{
    ValueTask<IStoreSink> BeginStoreAsync(StoreRequestInfo request, CancellationToken cancellationToken);
}

/// <summary>
/// One instance being received. <see cref="WriteAsync"/> receives consecutive data set fragments;
/// <see cref="CompleteAsync"/> is called after the last one and returns the status for the C-STORE-RSP. Disposing
/// without completing means the transfer failed (association aborted): discard partial data.
/// </summary>
public interface IStoreSink : IAsyncDisposable
{
    ValueTask WriteAsync(ReadOnlyMemory<byte> dataSetFragment, CancellationToken cancellationToken);
    ValueTask<StoreResult> CompleteAsync(CancellationToken cancellationToken);
}
