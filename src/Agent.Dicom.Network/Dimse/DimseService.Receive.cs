using Agent.Dicom.Network.Association;
using Agent.Dicom.Network.Pdu;
using Agent.Dicom.Network.Scp;

namespace Agent.Dicom.Network.Dimse;

internal sealed partial class DimseService
{
    /// <summary>The message being assembled. One at a time: PDVs of different messages are not interleaved.</summary>
    private sealed class IncomingMessage(AcceptedPresentationContext context)
    {
        public AcceptedPresentationContext Context { get; } = context;
        public MemoryStream CommandBytes { get; } = new();
        public DimseCommand? Command { get; set; }
        public DimseRequestHandler? Handler { get; set; }
        public IDataSetReceiver? DataSet { get; set; }
    }

    private IncomingMessage? _incoming;

    public bool IsMidMessage => _incoming is not null;

    /// <summary>
    /// One PDV: command fragments are collected until the last one, which decides where the data set goes (a handler's
    /// receiver, e.g. a store sink, or memory); data fragments go there as they arrive. A complete message is handled
    /// before the next PDV is read, so every request is answered in order and nothing waits in memory.
    /// </summary>
    public async ValueTask OnPDataAsync(PresentationDataValue pdv, AcceptedPresentationContext context, CancellationToken cancellationToken)
    {
        var msg = _incoming ??= new IncomingMessage(context);
        if (msg.Context.Id != pdv.PresentationContextId)
            throw new DicomFormatException($"PDV on presentation context {pdv.PresentationContextId} interleaved with a message on {msg.Context.Id}");
        if (pdv.IsCommand)
        {
            if (msg.Command is not null) throw new DicomFormatException("command fragment after the command was complete");
            if (msg.CommandBytes.Length + pdv.Data.Length > DimseCommand.MaxEncodedLength)
                throw new DicomFormatException($"command set longer than {DimseCommand.MaxEncodedLength} bytes");
            msg.CommandBytes.Write(pdv.Data.Span);
            if (!pdv.IsLast) return;
            msg.Command = DimseCommand.Decode(msg.CommandBytes.GetBuffer().AsSpan(0, (int)msg.CommandBytes.Length));
            NetLog.DimseReceived(_logger, msg.Command.ToString());
            if (msg.Command.IsRequest) msg.Handler = _handlers.Find(msg.Command.CommandField, msg.Context.AbstractSyntax);
            if (msg.Command.HasDataSet)
            {
                msg.DataSet = await BeginDataSetAsync(msg, cancellationToken).ConfigureAwait(false);
                return;
            }
        }
        else
        {
            // A message without a data set is complete with its command, so a data fragment here has no command.
            if (msg.Command is null || msg.DataSet is null) throw new DicomFormatException("data set fragment before its command");
            await msg.DataSet.WriteAsync(pdv.Data, cancellationToken).ConfigureAwait(false);
            if (!pdv.IsLast) return;
        }
        _incoming = null;
        try
        {
            await DispatchAsync(msg, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (msg.DataSet is { } dataSet) await dataSet.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask<IDataSetReceiver> BeginDataSetAsync(IncomingMessage msg, CancellationToken cancellationToken)
    {
        if (msg.Handler is { } handler && await handler.BeginDataSetAsync(Request(msg), cancellationToken).ConfigureAwait(false) is { } receiver)
            return receiver;
        return new BufferedDataSet(_options.MaxBufferedDataSetLength, msg.Command!.CommandField);
    }

    private ReceivedRequest Request(IncomingMessage msg) => new(this, msg.Command!, msg.Context);

    private async ValueTask DispatchAsync(IncomingMessage msg, CancellationToken cancellationToken)
    {
        var command = msg.Command!;
        if (!command.IsRequest)
        {
            OnResponse(command, msg.Context, msg.DataSet as BufferedDataSet);
            return;
        }
        var request = Request(msg);
        if (msg.Handler is { } handler)
        {
            await handler.HandleAsync(request, msg.DataSet, cancellationToken).ConfigureAwait(false);
            return;
        }
        // An operation nobody here provides is refused with 0211H Unrecognized Operation (PS3.7 Annex C); the
        // association stays up for the requests that follow.
        await request.RespondAsync(request.CreateResponse(DimseStatus.UnrecognizedOperation), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DiscardPartialMessageAsync()
    {
        var msg = _incoming;
        _incoming = null;
        if (msg?.DataSet is { } dataSet)
        {
            try { await dataSet.DisposeAsync().ConfigureAwait(false); }
            catch (IOException) { }
        }
    }
}
