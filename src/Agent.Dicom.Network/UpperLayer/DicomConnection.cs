using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Threading.Channels;
using Agent.Dicom.Network.Association;
using Agent.Dicom.Network.Dimse;
using Agent.Dicom.Network.Pdu;
using Agent.Dicom.Network.Services;
using Microsoft.Extensions.Logging;

namespace Agent.Dicom.Network.UpperLayer;

/// <summary>What the acceptor's negotiation decided: an A-ASSOCIATE-AC with the resulting association, or an -RJ.</summary>
internal sealed record NegotiationOutcome(DicomPdu Response, AssociationInfo? Info, string? RejectReason);

/// <summary>
/// One transport connection driven by the PS3.8 state table: every received PDU and local primitive goes through
/// <see cref="StateMachine.Resolve"/>, and the resulting action is executed here. Used by both the server (acceptor)
/// and the client (requestor); DIMSE messages are assembled from PDVs and dispatched to providers or to the
/// outstanding request they answer.
/// </summary>
internal sealed partial class DicomConnection : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly AssociationOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _stateLock = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly PduReader _reader;
    private readonly ConcurrentDictionary<ushort, Channel<DicomResponse>> _pending = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<DicomPdu> _associateAnswer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private State _state = State.Sta1Idle;
    private byte[] _sendBuffer = [];
    private int _disposed;

    public DicomConnection(Stream stream, bool isRequestor, AssociationOptions options, DicomServices services, ILogger logger)
    {
        _stream = stream;
        IsRequestor = isRequestor;
        _options = options;
        Services = services;
        _logger = logger;
        _reader = new PduReader(stream, options.MaxReceivePduLength);
    }

    public bool IsRequestor { get; }
    public DicomServices Services { get; }
    public AssociationInfo? Info { get; private set; }
    public string? AbortReason { get; private set; }

    /// <summary>The acceptor's negotiation; required on the acceptor side.</summary>
    public Func<AssociateRequestPdu, CancellationToken, ValueTask<NegotiationOutcome>>? Negotiate { get; init; }

    /// <summary>Completed when the transport is closed (released, aborted or lost).</summary>
    public Task Closed => _closed.Task;

    /// <summary>True while a DIMSE message is partially received (graceful shutdown waits for it).</summary>
    public bool IsMidMessage => _incoming is not null;

    public State State
    {
        get { lock (_stateLock) return _state; }
    }

    /// <summary>When set (tests, diagnostics), every transition taken is appended here.</summary>
    internal List<(State State, Event Event, Transition Transition)>? Trace { get; init; }

    /// <summary>Applies an event to the state table and returns the transition taken.</summary>
    internal Transition Fire(Event evt)
    {
        lock (_stateLock)
        {
            var t = StateMachine.Resolve(_state, evt, IsRequestor);
            Trace?.Add((_state, evt, t));
            if (t.Action != Action.None) _state = t.Next;
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
            case Action.AA1:
                AbortReason ??= why;
                NetLog.Aborted(_logger, why, t.Next.ToString());
                await TrySendAbortAsync(AbortSource.ServiceUser, Pdu.AbortReason.NotSpecified).ConfigureAwait(false);
                break;
            case Action.AA7:
            case Action.AA8:
                AbortReason ??= why;
                NetLog.Aborted(_logger, why, t.Next.ToString());
                await TrySendAbortAsync(AbortSource.ServiceProvider, reason).ConfigureAwait(false);
                break;
            case Action.AA2 or Action.AA3 or Action.AA4 or Action.AA5 or Action.AR3 or Action.AR5:
                if (t.Action != Action.AR3 && t.Action != Action.AR5) AbortReason ??= why;
                CloseTransport();
                break;
        }
    }

    /// <summary>Local A-ABORT request (Evt15).</summary>
    public async ValueTask AbortAsync(string why)
    {
        var t = Fire(Event.Evt15AbortRequestLocal);
        if (t.Action == Action.None) { CloseTransport(); return; }
        await ExecuteAbortiveAsync(t, Pdu.AbortReason.NotSpecified, why).ConfigureAwait(false);
        // Do not wait for the peer to close (ARTIM): an explicit abort closes now.
        CloseTransport();
    }

    private void CloseTransport()
    {
        lock (_stateLock) _state = State.Sta1Idle;
        try { _stream.Dispose(); }
        catch (IOException) { }
        var error = new DicomAssociationAbortedException(AbortReason ?? "association closed");
        foreach (var (id, channel) in _pending)
        {
            channel.Writer.TryComplete(error);
            _pending.TryRemove(id, out _);
        }
        _associateAnswer.TrySetException(error);
        _released.TrySetResult();
        _closed.TrySetResult();
    }

    private byte[] SendBuffer()
    {
        if (_sendBuffer.Length > 0) return _sendBuffer;
        uint peer = Info?.PeerMaxPduLength ?? 16384;
        uint max = peer == 0 ? _options.MaxSendPduLength : Math.Min(peer, _options.MaxSendPduLength);
        max = Math.Max(max, 1024);
        _sendBuffer = new byte[(int)max + PduCodec.HeaderLength];
        _sendPduLength = (int)max;
        return _sendBuffer;
    }

    private int _sendPduLength;

    /// <summary>
    /// Sends one DIMSE message (command, then the data set if any) as P-DATA-TF PDUs no larger than the peer allows.
    /// The data set is read straight into the PDU buffer, so sending a file costs one copy.
    /// </summary>
    public async ValueTask SendMessageAsync(byte presentationContextId, DimseCommand command, Stream? dataSet, long dataSetLength,
        CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var t = Fire(Event.Evt9PDataRequestLocal);
            if (t.Action is not (Action.DT1 or Action.AR7))
                throw new DicomNetworkException($"cannot send {command.CommandField}: association is in state {State}, not established");
            var buffer = SendBuffer();
            int maxFragment = _sendPduLength - 6;
            var cmd = command.Encode();
            for (int offset = 0; offset < cmd.Length;)
            {
                var n = Math.Min(maxFragment, cmd.Length - offset);
                cmd.AsSpan(offset, n).CopyTo(buffer.AsSpan(12));
                offset += n;
                WritePdvHeader(buffer, presentationContextId, n, isCommand: true, isLast: offset == cmd.Length);
                await _stream.WriteAsync(buffer.AsMemory(0, 12 + n), cancellationToken).ConfigureAwait(false);
            }
            if (dataSet is not null)
            {
                long left = dataSetLength;
                do
                {
                    var want = (int)Math.Min(maxFragment, left);
                    var n = want == 0 ? 0 : await dataSet.ReadAtLeastAsync(buffer.AsMemory(12, want), want, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                    if (n < want) throw new IOException($"data set source ended {left - n} bytes early");
                    left -= n;
                    WritePdvHeader(buffer, presentationContextId, n, isCommand: false, isLast: left == 0);
                    await _stream.WriteAsync(buffer.AsMemory(0, 12 + n), cancellationToken).ConfigureAwait(false);
                }
                while (left > 0);
            }
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private static void WritePdvHeader(byte[] buffer, byte pcId, int length, bool isCommand, bool isLast)
    {
        buffer[0] = (byte)PduType.DataTransfer;
        buffer[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(2), (uint)(length + 6));
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(6), (uint)(length + 2));
        buffer[10] = pcId;
        buffer[11] = (byte)((isCommand ? 1 : 0) | (isLast ? 2 : 0));
    }

    // ------------------------------------------------------------------ requestor primitives

    /// <summary>Evt1 + Evt2 (the transport is already connected): sends the A-ASSOCIATE-RQ.</summary>
    public async ValueTask SendAssociateRequestAsync(AssociateRequestPdu request, CancellationToken cancellationToken)
    {
        Fire(Event.Evt1AssociateRequestLocal);
        var t = Fire(Event.Evt2TransportConnectConfirm);
        if (t.Action != Action.AE2) throw new InvalidOperationException($"association request in state {State}");
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
            if (t.Action == Action.AR1)
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
        if (t.Action != Action.AR1) return;
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

    // ------------------------------------------------------------------ outstanding requests

    public Channel<DicomResponse> RegisterPending(ushort messageId)
    {
        var channel = Channel.CreateUnbounded<DicomResponse>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        if (!_pending.TryAdd(messageId, channel)) throw new InvalidOperationException($"message id {messageId} already outstanding");
        if (State is State.Sta1Idle or State.Sta13AwaitingTransportClose)
        {
            _pending.TryRemove(messageId, out _);
            throw new DicomAssociationAbortedException(AbortReason ?? "association closed");
        }
        return channel;
    }

    public void Unregister(ushort messageId) => _pending.TryRemove(messageId, out _);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        CloseTransport();
        // The receive loop owns the reader buffer; it is returned once the loop has seen the closed transport.
        if (_loopStarted) await _loopDone.Task.ConfigureAwait(false);
        _reader.Dispose();
    }
}
