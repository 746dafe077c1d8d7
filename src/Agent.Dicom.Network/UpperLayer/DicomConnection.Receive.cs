using Agent.Dicom;
using Agent.Dicom.Network.Pdu;
using Microsoft.Extensions.Logging;

namespace Agent.Dicom.Network.UpperLayer;

internal sealed partial class DicomConnection
{
    private readonly TaskCompletionSource _loopDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _loopStarted;

    /// <summary>
    /// Reads and handles PDUs until the transport closes. Never throws for anything the peer does: protocol errors
    /// become A-ABORT, transport errors close the connection. <paramref name="shutdown"/> ends an idle association
    /// (between messages) with A-ABORT; <paramref name="hardStop"/> ends it whatever it is doing.
    /// </summary>
    public async Task RunAsync(CancellationToken shutdown, CancellationToken hardStop)
    {
        _loopStarted = true;
        try
        {
            if (!IsRequestor) Fire(Event.Evt5TransportConnectIndication);
            while (State != State.Sta1Idle)
            {
                var state = State;
                var headerTimeout = state switch
                {
                    State.Sta6Established => _options.IdleTimeout,
                    _ => _options.ArtimTimeout,
                };
                using var headerCts = CancellationTokenSource.CreateLinkedTokenSource(hardStop, state == State.Sta6Established && !IsMidMessage ? shutdown : CancellationToken.None);
                headerCts.CancelAfter(headerTimeout);
                using var bodyCts = CancellationTokenSource.CreateLinkedTokenSource(hardStop);
                _reader.HeaderReceived = () => bodyCts.CancelAfter(_options.PduBodyTimeout);

                RawPdu? pdu;
                try
                {
                    pdu = await _reader.ReadAsync(headerCts.Token, bodyCts.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    await OnTimerAsync(state, shutdown.IsCancellationRequested || hardStop.IsCancellationRequested, bodyCts.IsCancellationRequested && !hardStop.IsCancellationRequested).ConfigureAwait(false);
                    continue;
                }
                catch (PduTooLargeException ex)
                {
                    await OnInvalidPduAsync(AbortReason.InvalidPduParameterValue, ex.Message).ConfigureAwait(false);
                    break;
                }
                catch (DicomFormatException ex)
                {
                    await OnInvalidPduAsync(AbortReason.UnrecognizedPdu, ex.Message).ConfigureAwait(false);
                    break;
                }
                catch (Exception ex) when (ex is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
                {
                    await ExecuteAbortiveAsync(Fire(Event.Evt17TransportClosed), AbortReason.NotSpecified, "connection lost: " + ex.Message).ConfigureAwait(false);
                    break;
                }
                if (pdu is null)
                {
                    await ExecuteAbortiveAsync(Fire(Event.Evt17TransportClosed), AbortReason.NotSpecified, "peer closed the connection").ConfigureAwait(false);
                    break;
                }
                try
                {
                    await HandlePduAsync(pdu.Value, hardStop).ConfigureAwait(false);
                }
                catch (DicomFormatException ex)
                {
                    await OnInvalidPduAsync(AbortReason.InvalidPduParameterValue, ex.Message).ConfigureAwait(false);
                    break;
                }
                catch (Exception ex) when (ex is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
                {
                    await ExecuteAbortiveAsync(Fire(Event.Evt17TransportClosed), AbortReason.NotSpecified, "connection lost: " + ex.Message).ConfigureAwait(false);
                    break;
                }
                catch (OperationCanceledException) when (hardStop.IsCancellationRequested)
                {
                    await AbortAsync("server stopped").ConfigureAwait(false);
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A bug, not peer behaviour: log it, abort the association, keep the process serving others.
            NetLog.Unexpected(_logger, ex);
            await AbortAsync("internal error: " + ex.Message).ConfigureAwait(false);
        }
        finally
        {
            await DiscardPartialMessageAsync().ConfigureAwait(false);
            CloseTransport();
            _loopDone.TrySetResult();
        }
    }

    private async ValueTask OnInvalidPduAsync(AbortReason reason, string why)
    {
        var t = Fire(Event.Evt19InvalidPduReceived);
        await ExecuteAbortiveAsync(t, reason, "invalid PDU: " + why).ConfigureAwait(false);
        // After an invalid PDU the byte stream is out of sync; there is nothing more to read (AA-8 then close).
        CloseTransport();
    }

    private async ValueTask OnTimerAsync(State state, bool shuttingDown, bool bodyTimeout)
    {
        if (state is State.Sta2TransportOpen or State.Sta13AwaitingTransportClose)
        {
            var t = Fire(Event.Evt18ArtimExpired);
            await ExecuteAbortiveAsync(t, AbortReason.NotSpecified, state == State.Sta2TransportOpen ? "no A-ASSOCIATE-RQ before the ARTIM timer expired" : "ARTIM expired").ConfigureAwait(false);
            return;
        }
        var why = shuttingDown ? "server stopping" : bodyTimeout ? "PDU not completed within the body timeout" : state == State.Sta6Established ? "idle timeout" : "ARTIM expired waiting for the peer";
        await AbortAsync(why).ConfigureAwait(false);
    }

    private async ValueTask HandlePduAsync(RawPdu raw, CancellationToken cancellationToken)
    {
        switch (raw.Type)
        {
            case PduType.AssociateRequest:
                {
                    var rq = (AssociateRequestPdu)PduCodec.DecodeBody(raw.Type, raw.Body);
                    var t = Fire(Event.Evt6AssociateRqReceived);
                    if (t.Action != UpperLayerAction.AE6 || Negotiate is null)
                    {
                        await ExecuteAbortiveAsync(t, AbortReason.UnexpectedPdu, "unexpected A-ASSOCIATE-RQ").ConfigureAwait(false);
                        return;
                    }
                    var outcome = await Negotiate(rq, cancellationToken).ConfigureAwait(false);
                    if (outcome.Response is AssociateAcceptPdu ac && outcome.Info is not null)
                    {
                        Fire(Event.Evt7AssociateAcceptLocal);
                        SetInfo(outcome.Info);
                        await SendPduAsync(ac, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        Fire(Event.Evt8AssociateRejectLocal);
                        AbortCause = "rejected: " + outcome.RejectReason;
                        await SendPduAsync(outcome.Response, cancellationToken).ConfigureAwait(false);
                    }
                    return;
                }
            case PduType.AssociateAccept:
                {
                    var ac = PduCodec.DecodeBody(raw.Type, raw.Body);
                    var t = Fire(Event.Evt3AssociateAcReceived);
                    if (t.Action == UpperLayerAction.AE3) _associateAnswer.TrySetResult(ac);
                    else await ExecuteAbortiveAsync(t, AbortReason.UnexpectedPdu, "unexpected A-ASSOCIATE-AC").ConfigureAwait(false);
                    return;
                }
            case PduType.AssociateReject:
                {
                    var rj = PduCodec.DecodeBody(raw.Type, raw.Body);
                    var t = Fire(Event.Evt4AssociateRjReceived);
                    if (t.Action == UpperLayerAction.AE4)
                    {
                        _associateAnswer.TrySetResult(rj);
                        CloseTransport();
                    }
                    else await ExecuteAbortiveAsync(t, AbortReason.UnexpectedPdu, "unexpected A-ASSOCIATE-RJ").ConfigureAwait(false);
                    return;
                }
            case PduType.DataTransfer:
                {
                    var t = Fire(Event.Evt10PDataReceived);
                    if (t.Action is UpperLayerAction.DT2 or UpperLayerAction.AR6) await OnPDataAsync(raw.Body, cancellationToken).ConfigureAwait(false);
                    else await ExecuteAbortiveAsync(t, AbortReason.UnexpectedPdu, "unexpected P-DATA-TF").ConfigureAwait(false);
                    return;
                }
            case PduType.ReleaseRequest:
                {
                    PduCodec.DecodeBody(raw.Type, raw.Body);
                    var t = Fire(Event.Evt12ReleaseRqReceived);
                    if (t.Action == UpperLayerAction.AR2)
                    {
                        // A-RELEASE indication: every request was answered inline, so respond at once (Evt14, AR-4).
                        await DiscardPartialMessageAsync().ConfigureAwait(false);
                        Fire(Event.Evt14ReleaseResponseLocal);
                        await SendPduAsync(new ReleaseResponsePdu(), cancellationToken).ConfigureAwait(false);
                        NetLog.Released(_logger);
                    }
                    else if (t.Action == UpperLayerAction.AR8 && t.Next == State.Sta9CollisionRequestorAwaitingLocalResponse)
                    {
                        Fire(Event.Evt14ReleaseResponseLocal); // AR-9 -> Sta11
                        await SendPduAsync(new ReleaseResponsePdu(), cancellationToken).ConfigureAwait(false);
                    }
                    else if (t.Action != UpperLayerAction.AR8)
                    {
                        await ExecuteAbortiveAsync(t, AbortReason.UnexpectedPdu, "unexpected A-RELEASE-RQ").ConfigureAwait(false);
                    }
                    return;
                }
            case PduType.ReleaseResponse:
                {
                    PduCodec.DecodeBody(raw.Type, raw.Body);
                    var t = Fire(Event.Evt13ReleaseRpReceived);
                    if (t.Action == UpperLayerAction.AR3)
                    {
                        NetLog.Released(_logger);
                        _released.TrySetResult();
                        CloseTransport();
                    }
                    else if (t.Action == UpperLayerAction.AR10)
                    {
                        Fire(Event.Evt14ReleaseResponseLocal); // AR-4 -> Sta13
                        await SendPduAsync(new ReleaseResponsePdu(), cancellationToken).ConfigureAwait(false);
                        _released.TrySetResult();
                    }
                    else await ExecuteAbortiveAsync(t, AbortReason.UnexpectedPdu, "unexpected A-RELEASE-RP").ConfigureAwait(false);
                    return;
                }
            case PduType.Abort:
                {
                    var ab = (AbortPdu)PduCodec.DecodeBody(raw.Type, raw.Body);
                    var t = Fire(Event.Evt16AbortReceived);
                    AbortCause ??= $"A-ABORT from peer (source {ab.Source}, reason {ab.Reason})";
                    if (t.Action != UpperLayerAction.AA2) NetLog.Aborted(_logger, AbortCause, State.ToString());
                    await ExecuteAbortiveAsync(t, AbortReason.NotSpecified, AbortCause).ConfigureAwait(false);
                    return;
                }
            default:
                throw new DicomFormatException($"unknown PDU type 0x{(byte)raw.Type:X2}");
        }
    }

    private ValueTask DiscardPartialMessageAsync() => _user?.DiscardPartialMessageAsync() ?? ValueTask.CompletedTask;
}
