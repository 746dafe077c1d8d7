using Agent.Dicom.Network.Dimse;

namespace Agent.Host.Ingest;

/// <summary>
/// One instance being received: dataset fragments are appended as they come off the wire, then
/// <see cref="CompleteAsync"/> makes it durable and indexed and says what to answer. Disposing without completing
/// (association aborted) discards the partial file.
/// </summary>
public sealed class IngestSession : IAsyncDisposable
{
    private readonly IngestPipeline _pipeline;
    private readonly IngestRequest _request;
    private readonly IncomingInstance? _incoming;
    private readonly string? _refusal;
    private long _received;

    internal IngestSession(IngestPipeline pipeline, IngestRequest request, IncomingInstance? incoming, string? refusal)
    {
        _pipeline = pipeline;
        _request = request;
        _incoming = incoming;
        _refusal = refusal;
    }

    /// <summary>Dataset bytes received so far.</summary>
    public long BytesReceived => _received;

    /// <summary>A stream view of <see cref="WriteAsync"/> (refused instances are drained into nothing).</summary>
    public Stream DatasetStream => _incoming?.Stream ?? Stream.Null;

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> fragment, CancellationToken cancellationToken)
    {
        _received += fragment.Length;
        if (_incoming is not null) await _incoming.Stream.WriteAsync(fragment, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IngestResult> CompleteAsync(CancellationToken cancellationToken)
    {
        if (_incoming is null) return _pipeline.Refuse(_request.SopInstanceUid, DimseStatus.CannotUnderstand, _refusal!);
        return await _pipeline.CompleteAsync(_request, _incoming, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_incoming is not null) await _incoming.DisposeAsync().ConfigureAwait(false);
    }
}
