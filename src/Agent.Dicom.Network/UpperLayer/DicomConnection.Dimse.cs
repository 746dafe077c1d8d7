using Agent.Dicom;
using Agent.Dicom.IO;
using Agent.Dicom.Network.Association;
using Agent.Dicom.Network.Dimse;
using Agent.Dicom.Network.Pdu;
using Agent.Dicom.Network.Services;

namespace Agent.Dicom.Network.UpperLayer;

internal sealed partial class DicomConnection
{
    /// <summary>The DIMSE message being assembled from PDVs (one at a time: operations are not interleaved).</summary>
    private sealed class IncomingMessage(byte pcId)
    {
        public byte PresentationContextId { get; } = pcId;
        public MemoryStream CommandBytes { get; } = new();
        public DimseCommand? Command { get; set; }
        public IStoreSink? Sink { get; set; }
        public StoreResult? Failure { get; set; }
        public MemoryStream? DataBytes { get; set; }
        public long DataLength { get; set; }
    }

    private IncomingMessage? _incoming;
    private readonly List<PresentationDataValue> _pdvs = new(4);

    private async ValueTask OnDataAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        _pdvs.Clear();
        PduCodec.DecodePdvs(body, _pdvs);
        var contexts = Info?.PresentationContexts ?? throw new DicomFormatException("P-DATA-TF before association");
        foreach (var pdv in _pdvs)
        {
            if (!contexts.TryGetValue(pdv.PresentationContextId, out var pc))
                throw new DicomFormatException($"PDV on presentation context {pdv.PresentationContextId}, which was not accepted");
            var msg = _incoming ??= new IncomingMessage(pdv.PresentationContextId);
            if (msg.PresentationContextId != pdv.PresentationContextId)
                throw new DicomFormatException($"PDV on presentation context {pdv.PresentationContextId} interleaved with a message on {msg.PresentationContextId}");
            if (pdv.IsCommand)
            {
                if (msg.Command is not null) throw new DicomFormatException("command fragment after the command was complete");
                if (msg.CommandBytes.Length + pdv.Data.Length > DimseCommand.MaxEncodedLength)
                    throw new DicomFormatException($"command set longer than {DimseCommand.MaxEncodedLength} bytes");
                msg.CommandBytes.Write(pdv.Data.Span);
                if (!pdv.IsLast) continue;
                msg.Command = DimseCommand.Decode(msg.CommandBytes.GetBuffer().AsSpan(0, (int)msg.CommandBytes.Length));
                NetLog.DimseReceived(_logger, msg.Command.ToString());
                if (!msg.Command.HasDataSet)
                {
                    _incoming = null;
                    await DispatchAsync(msg, pc, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await BeginDataSetAsync(msg, pc, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                if (msg.Command is null) throw new DicomFormatException("data set fragment before its command");
                msg.DataLength += pdv.Data.Length;
                if (msg.Sink is not null)
                {
                    if (msg.DataLength > _options.MaxStoreDataSetLength)
                    {
                        await FailSinkAsync(msg, new StoreResult(DimseStatus.RefusedOutOfResources, $"data set larger than {_options.MaxStoreDataSetLength} bytes")).ConfigureAwait(false);
                    }
                    else
                    {
                        try
                        {
                            await msg.Sink.WriteAsync(pdv.Data, cancellationToken).ConfigureAwait(false);
                        }
                        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DicomFormatException or InvalidOperationException)
                        {
                            await FailSinkAsync(msg, new StoreResult(DimseStatus.RefusedOutOfResources, "storage failed: " + ex.Message)).ConfigureAwait(false);
                        }
                    }
                }
                else if (msg.DataBytes is not null)
                {
                    if (msg.DataLength > _options.MaxBufferedDataSetLength)
                        throw new DicomFormatException($"data set of a {msg.Command.CommandField} longer than {_options.MaxBufferedDataSetLength} bytes");
                    msg.DataBytes.Write(pdv.Data.Span);
                }
                if (pdv.IsLast)
                {
                    _incoming = null;
                    await DispatchAsync(msg, pc, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private async ValueTask BeginDataSetAsync(IncomingMessage msg, AcceptedPresentationContext pc, CancellationToken cancellationToken)
    {
        var cmd = msg.Command!;
        if (cmd.CommandField != CommandField.CStoreRequest)
        {
            msg.DataBytes = new MemoryStream();
            return;
        }
        if (Services.Store is null)
        {
            msg.Failure = new StoreResult(DimseStatus.SopClassNotSupported, "this association does not accept C-STORE");
            return;
        }
        var sopInstance = cmd.AffectedSopInstanceUid ?? "";
        var sopClass = cmd.AffectedSopClassUid ?? "";
        if (sopClass != pc.AbstractSyntax)
        {
            msg.Failure = new StoreResult(DimseStatus.DataSetDoesNotMatchSopClass, $"affected SOP class {sopClass} differs from the presentation context's {pc.AbstractSyntax}");
            return;
        }
        try
        {
            msg.Sink = await Services.Store.BeginStoreAsync(new StoreRequestInfo
            {
                Association = Info!, SopClassUid = sopClass, SopInstanceUid = sopInstance, TransferSyntaxUid = pc.TransferSyntax,
                MessageId = cmd.MessageId, Priority = cmd.Priority, MoveOriginatorAeTitle = cmd.MoveOriginatorAeTitle,
                MoveOriginatorMessageId = cmd.MoveOriginatorMessageId,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreRefusedException ex)
        {
            msg.Failure = new StoreResult(ex.Status, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            msg.Failure = new StoreResult(DimseStatus.RefusedOutOfResources, "storage unavailable: " + ex.Message);
        }
    }

    private static async ValueTask FailSinkAsync(IncomingMessage msg, StoreResult failure)
    {
        msg.Failure ??= failure;
        if (msg.Sink is { } sink)
        {
            msg.Sink = null;
            await sink.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask DisposeIncomingAsync()
    {
        var msg = _incoming;
        _incoming = null;
        if (msg?.Sink is { } sink)
        {
            msg.Sink = null;
            try { await sink.DisposeAsync().ConfigureAwait(false); }
            catch (IOException) { }
        }
    }

    private async ValueTask DispatchAsync(IncomingMessage msg, AcceptedPresentationContext pc, CancellationToken cancellationToken)
    {
        var cmd = msg.Command!;
        if (cmd.IsRequest)
        {
            await AnswerRequestAsync(msg, cmd, pc, cancellationToken).ConfigureAwait(false);
            return;
        }
        var id = cmd.MessageIdBeingRespondedTo;
        if (!_pending.TryGetValue(id, out var channel))
        {
            NetLog.UnknownResponse(_logger, id);
            return;
        }
        DicomDataset? identifier = null;
        if (msg.DataBytes is { Length: > 0 } data)
        {
            identifier = DicomReader.ReadDataset(data.GetBuffer().AsMemory(0, (int)data.Length), DicomTransferSyntax.Lookup(pc.TransferSyntax));
        }
        var response = new DicomResponse(cmd, identifier);
        channel.Writer.TryWrite(response);
        if (response.Status.IsFinal)
        {
            channel.Writer.TryComplete();
            _pending.TryRemove(id, out _);
        }
    }

    private async ValueTask AnswerRequestAsync(IncomingMessage msg, DimseCommand cmd, AcceptedPresentationContext pc, CancellationToken cancellationToken)
    {
        var rsp = new DimseCommand
        {
            CommandField = (CommandField)((ushort)cmd.CommandField | 0x8000), MessageIdBeingRespondedTo = cmd.MessageId,
            AffectedSopClassUid = cmd.AffectedSopClassUid ?? pc.AbstractSyntax, HasDataSet = false,
        };
        switch (cmd.CommandField)
        {
            case CommandField.CEchoRequest:
                rsp.Status = Services.Echo is { } echo ? await echo.OnEchoAsync(Info!, cancellationToken).ConfigureAwait(false) : DimseStatus.Success;
                break;
            case CommandField.CStoreRequest:
                {
                    rsp.AffectedSopInstanceUid = cmd.AffectedSopInstanceUid;
                    var result = msg.Failure ?? StoreResult.Success;
                    if (msg.Failure is null && msg.Sink is { } sink)
                    {
                        msg.Sink = null;
                        try
                        {
                            result = await sink.CompleteAsync(cancellationToken).ConfigureAwait(false);
                        }
                        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DicomFormatException or InvalidOperationException)
                        {
                            result = new StoreResult(DimseStatus.RefusedOutOfResources, "storage failed: " + ex.Message);
                        }
                        finally
                        {
                            await sink.DisposeAsync().ConfigureAwait(false);
                        }
                    }
                    rsp.Status = result.Status;
                    if (result.ErrorComment is { } comment && !result.Status.IsSuccess)
                        rsp.ErrorComment = comment.Length > 64 ? comment[..64] : comment;
                    if (!result.Status.IsSuccess) NetLog.StoreFailed(_logger, cmd.AffectedSopInstanceUid ?? "", result.Status.ToString(), result.ErrorComment);
                    break;
                }
            case CommandField.CCancelRequest:
                return; // nothing of ours is cancellable on the SCP side: every request is answered before the next is read
            default:
                rsp.Status = DimseStatus.UnrecognizedOperation;
                break;
        }
        await SendMessageAsync(msg.PresentationContextId, rsp, null, 0, cancellationToken).ConfigureAwait(false);
    }
}
