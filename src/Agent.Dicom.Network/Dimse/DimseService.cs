using System.Collections.Concurrent;
using System.Threading.Channels;
using Agent.Dicom.IO;
using Agent.Dicom.Network.Association;
using Agent.Dicom.Network.Scp;
using Agent.Dicom.Network.Services;
using Agent.Dicom.Network.UpperLayer;
using Microsoft.Extensions.Logging;

namespace Agent.Dicom.Network.Dimse;

/// <summary>
/// The DIMSE layer of one association (PS3.7), above the upper layer's <see cref="DicomConnection"/>: it assembles
/// messages (command set, then data set) from the PDVs the upper layer delivers, gives each request to the SCP handler
/// of its command (<see cref="DimseHandlers"/>) and each response to the SCU request waiting for it, and sends messages
/// through the upper layer's P-DATA service. Server and client associations both have one.
/// </summary>
internal sealed partial class DimseService : IUpperLayerUser
{
    private readonly DicomConnection _connection;
    private readonly DimseHandlers _handlers;
    private readonly AssociationOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<ushort, Channel<DicomResponse>> _pending = new();

    private DimseService(DicomConnection connection, DicomServices services, AssociationOptions options, ILogger logger)
    {
        _connection = connection;
        _handlers = new DimseHandlers(services, options, logger);
        _options = options;
        _logger = logger;
    }

    /// <summary>Puts a DIMSE layer on top of <paramref name="connection"/>, answering requests with <paramref name="services"/>.</summary>
    public static DimseService Attach(DicomConnection connection, DicomServices services, AssociationOptions options, ILogger logger)
    {
        var service = new DimseService(connection, services, options, logger);
        connection.Bind(service);
        return service;
    }

    /// <summary>The negotiated association; set once the upper layer accepted or was accepted.</summary>
    public AssociationInfo Association => _connection.Info ?? throw new InvalidOperationException("the association is not established");

    // ------------------------------------------------------------------ sending

    /// <summary>Sends a message whose data set (if any) is read from <paramref name="dataSet"/>, already encoded.</summary>
    public ValueTask SendAsync(byte presentationContextId, DimseCommand command, Stream? dataSet, long dataSetLength, CancellationToken cancellationToken)
    {
        command.HasDataSet = dataSet is not null;
        return _connection.SendPDataAsync(presentationContextId, command.Encode(), dataSet, dataSetLength, command.CommandField.ToString(), cancellationToken);
    }

    /// <summary>Sends a message whose data set (an identifier, a match) is encoded in the context's transfer syntax.</summary>
    public async ValueTask SendAsync(AcceptedPresentationContext context, DimseCommand command, DicomDataset? dataSet, CancellationToken cancellationToken)
    {
        if (dataSet is null)
        {
            await SendAsync(context.Id, command, null, 0, cancellationToken).ConfigureAwait(false);
            return;
        }
        var bytes = DicomWriter.Encode(dataSet, DicomTransferSyntax.Lookup(context.TransferSyntax));
        using var stream = new MemoryStream(bytes, writable: false);
        await SendAsync(context.Id, command, stream, bytes.Length, cancellationToken).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ outstanding SCU requests

    /// <summary>Where the responses to <paramref name="messageId"/> will arrive; fails at once when the association is gone.</summary>
    public ChannelReader<DicomResponse> RegisterPending(ushort messageId)
    {
        var channel = Channel.CreateUnbounded<DicomResponse>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        if (!_pending.TryAdd(messageId, channel)) throw new InvalidOperationException($"message id {messageId} already outstanding");
        // Registered before the state is checked: a close racing with this either sees the entry or is seen here.
        if (_connection.State is State.Sta1Idle or State.Sta13AwaitingTransportClose)
        {
            _pending.TryRemove(messageId, out _);
            throw new DicomAssociationAbortedException(_connection.AbortCause ?? "association closed");
        }
        return channel.Reader;
    }

    public void Unregister(ushort messageId) => _pending.TryRemove(messageId, out _);

    public void OnClosed(Exception reason)
    {
        foreach (var (id, channel) in _pending)
        {
            channel.Writer.TryComplete(reason);
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>A response for an outstanding request: handed to its waiter; the final one ends the request.</summary>
    private void OnResponse(DimseCommand command, AcceptedPresentationContext context, BufferedDataSet? dataSet)
    {
        var id = command.MessageIdBeingRespondedTo;
        if (!_pending.TryGetValue(id, out var channel))
        {
            NetLog.UnknownResponse(_logger, id);
            return;
        }
        var response = new DicomResponse(command, dataSet?.Read(context.TransferSyntax));
        channel.Writer.TryWrite(response);
        if (response.Status.IsFinal)
        {
            channel.Writer.TryComplete();
            _pending.TryRemove(id, out _);
        }
    }
}
