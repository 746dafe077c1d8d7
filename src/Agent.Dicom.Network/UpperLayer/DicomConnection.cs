using Agent.Dicom.Network.Association;
using Agent.Dicom.Network.Pdu;
using Microsoft.Extensions.Logging;

namespace Agent.Dicom.Network.UpperLayer;

/// <summary>What the acceptor's negotiation decided: an A-ASSOCIATE-AC with the resulting association, or an -RJ.</summary>
internal sealed record NegotiationOutcome(DicomPdu Response, AssociationInfo? Info, string? RejectReason);

/// <summary>
/// The DICOM upper layer (PS3.8) for one transport connection: every received PDU and local primitive goes through
/// <see cref="StateMachine.Resolve"/>, and the resulting action is executed here (association, P-DATA framing,
/// release, abort, ARTIM and idle timers). Used by both the server (acceptor) and the client (requestor). What the
/// P-DATA carries is the business of its <see cref="IUpperLayerUser"/>, the DIMSE layer.
/// </summary>
internal sealed partial class DicomConnection : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly AssociationOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _stateLock = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly PduReader _reader;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<DicomPdu> _associateAnswer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IUpperLayerUser? _user;
    private State _state = State.Sta1Idle;
    private int _disposed;

    public DicomConnection(Stream stream, bool isRequestor, AssociationOptions options, ILogger logger)
    {
        _stream = stream;
        IsRequestor = isRequestor;
        _options = options;
        _logger = logger;
        _reader = new PduReader(stream, options.MaxReceivePduLength);
    }

    public bool IsRequestor { get; }
    public AssociationInfo? Info { get; private set; }

    /// <summary>Why the association ended other than by an orderly release (rejection, abort, lost connection), else null.</summary>
    public string? AbortCause { get; private set; }

    /// <summary>The acceptor's negotiation; required on the acceptor side.</summary>
    public Func<AssociateRequestPdu, CancellationToken, ValueTask<NegotiationOutcome>>? Negotiate { get; init; }

    /// <summary>Completed when the transport is closed (released, aborted or lost).</summary>
    public Task Closed => _closed.Task;

    /// <summary>True while the user is in the middle of a message (graceful shutdown waits for it).</summary>
    public bool IsMidMessage => _user?.IsMidMessage == true;

    public State State
    {
        get { lock (_stateLock) return _state; }
    }

    /// <summary>When set (diagnostics, tests), every transition taken is appended here.</summary>
    internal List<(State State, Event Event, Transition Transition)>? Trace { get; init; }

    /// <summary>Connects the service user (the DIMSE layer) that receives P-DATA indications; once, before <see cref="RunAsync"/>.</summary>
    public void Bind(IUpperLayerUser user)
    {
        if (Interlocked.CompareExchange(ref _user, user, null) is not null) throw new InvalidOperationException("the connection already has a user");
    }

    /// <summary>Applies an event to the state table and returns the transition taken.</summary>
    internal Transition Fire(Event evt)
    {
        lock (_stateLock)
        {
            var t = StateMachine.Resolve(_state, evt, IsRequestor);
            Trace?.Add((_state, evt, t));
            if (t.Action != UpperLayerAction.None) _state = t.Next;
            return t;
        }
    }

    // ------------------------------------------------------------------ sending

    private async ValueTask SendPduAsync(DicomPdu pdu, CancellationToken cancellationToken)
    {
        var bytes = PduCodec.Encode(pdu);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Sends an A-ABORT without letting a broken transport throw: the connection is going away anyway.</summary>
    private async ValueTask TrySendAbortAsync(AbortSource source, AbortReason reason)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await SendPduAsync(new AbortPdu(source, reason), cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            // The peer may already be gone; the abort is best effort by definition (PS3.8 7.3).
        }
    }

    /// <summary>Executes the abort/close part of a transition that does not need protocol-specific handling.</summary>
    private async ValueTask ExecuteAbortiveAsync(Transition t, AbortReason reason, string why)
    {
        switch (t.Action)
        {
            case UpperLayerAction.AA1:
                AbortCause ??= why;
                NetLog.Aborted(_logger, why, t.Next.ToString());
                await TrySendAbortAsync(AbortSource.ServiceUser, AbortReason.NotSpecified).ConfigureAwait(false);
                break;
            case UpperLayerAction.AA7:
            case UpperLayerAction.AA8:
                AbortCause ??= why;
                NetLog.Aborted(_logger, why, t.Next.ToString());
                await TrySendAbortAsync(AbortSource.ServiceProvider, reason).ConfigureAwait(false);
                break;
            case UpperLayerAction.AA2 or UpperLayerAction.AA3 or UpperLayerAction.AA4 or UpperLayerAction.AA5 or UpperLayerAction.AR3 or UpperLayerAction.AR5:
                if (t.Action is not (UpperLayerAction.AR3 or UpperLayerAction.AR5)) AbortCause ??= why;
                CloseTransport();
                break;
        }
    }

    /// <summary>Local A-ABORT request (Evt15).</summary>
    public async ValueTask AbortAsync(string why)
    {
        var t = Fire(Event.Evt15AbortRequestLocal);
        if (t.Action == UpperLayerAction.None) { CloseTransport(); return; }
        await ExecuteAbortiveAsync(t, AbortReason.NotSpecified, why).ConfigureAwait(false);
        // Do not wait for the peer to close (ARTIM): an explicit abort closes now.
        CloseTransport();
    }

    private void CloseTransport()
    {
        lock (_stateLock) _state = State.Sta1Idle;
        try { _stream.Dispose(); }
        catch (IOException) { }
        var error = new DicomAssociationAbortedException(AbortCause ?? "association closed");
        _user?.OnClosed(error);
        _associateAnswer.TrySetException(error);
        _released.TrySetResult();
        _closed.TrySetResult();
    }

    // ------------------------------------------------------------------ requestor primitives

    /// <summary>Evt1 + Evt2 (the transport is already connected): sends the A-ASSOCIATE-RQ.</summary>
    public async ValueTask SendAssociateRequestAsync(AssociateRequestPdu request, CancellationToken cancellationToken)
    {
        Fire(Event.Evt1AssociateRequestLocal);
        var t = Fire(Event.Evt2TransportConnectConfirm);
        if (t.Action != UpperLayerAction.AE2) throw new InvalidOperationException($"association request in state {State}");
        await SendPduAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for the A-ASSOCIATE-AC or -RJ that the receive loop hands over.</summary>
    public Task<DicomPdu> AssociateAnswer => _associateAnswer.Task;

    public void SetInfo(AssociationInfo info)
    {
        Info = info;
        _reader.MaxDataPduLength = info.LocalMaxPduLength;
    }

    /// <summary>Evt11: sends A-RELEASE-RQ and waits until the release completes (or the ARTIM timer aborts it).</summary>
    public async ValueTask ReleaseAsync(CancellationToken cancellationToken)
    {
        Transition t;
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            t = Fire(Event.Evt11ReleaseRequestLocal);
            if (t.Action == UpperLayerAction.AR1)
            {
                var bytes = PduCodec.Encode(new ReleaseRequestPdu());
                await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _writeLock.Release();
        }
        if (t.Action != UpperLayerAction.AR1) return;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ArtimTimeout);
        try
        {
            await _released.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await AbortAsync("no A-RELEASE-RP before the ARTIM timer expired").ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        CloseTransport();
        // The receive loop owns the reader buffer; it is returned once the loop has seen the closed transport.
        if (_loopStarted) await _loopDone.Task.ConfigureAwait(false);
        _reader.Dispose();
    }
}
