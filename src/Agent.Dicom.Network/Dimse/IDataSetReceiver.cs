namespace Agent.Dicom.Network.Dimse;

/// <summary>
/// Where a message's data set goes while its PDVs arrive: memory for small data sets (identifiers), a store provider's
/// sink for C-STORE. Disposed when the message is handled or dropped (association ended mid-message).
/// </summary>
internal interface IDataSetReceiver : IAsyncDisposable
{
    /// <summary>The next fragment, in order; its memory is valid only during the call.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> fragment, CancellationToken cancellationToken);
}
