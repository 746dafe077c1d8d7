using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Agent.Dicom.Network.Dimse;
using Agent.Dicom.Network.Pdu;

namespace Agent.Dicom.Network.Tests;

/// <summary>
/// A DICOM peer scripted at the wire level, in the spirit of Npgsql's PgServerMock: it writes exactly the PDUs and PDVs
/// a test gives it and reads back what our side answers, so message assembly and dispatch are tested through the socket.
/// </summary>
internal sealed class WirePeer : IAsyncDisposable
{
    public const byte VerificationContext = 1;
    public const byte CtContext = 3;
    public const string ImplicitLittleEndian = "1.2.840.10008.1.2";

    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    private WirePeer(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>The transport, for tests that half-close it or watch it.</summary>
    public Socket Socket => _socket;

    /// <summary>Connects to an SCP without associating.</summary>
    public static async Task<WirePeer> ConnectAsync(int port)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, port);
        return new WirePeer(socket);
    }

    /// <summary>
    /// Connects to an SCP and negotiates Verification (context 1) and CT Image Storage (context 3), implicit VR LE, then
    /// the <paramref name="more"/> SOP classes as contexts 5, 7, ...
    /// </summary>
    public static async Task<WirePeer> AssociateAsync(int port, uint maxPduLength = 16384, params string[] more)
    {
        var peer = await ConnectAsync(port);
        await peer.SendAsync(new AssociateRequestPdu
        {
            CalledAeTitle = "AGENT", CallingAeTitle = "WIREPEER",
            PresentationContexts = [new PresentationContextProposal(VerificationContext, DicomUids.Verification.Uid, [ImplicitLittleEndian]),
                new PresentationContextProposal(CtContext, DicomUids.CTImageStorage.Uid, [ImplicitLittleEndian]),
                .. more.Select((sopClass, i) => new PresentationContextProposal((byte)(5 + 2 * i), sopClass, [ImplicitLittleEndian]))],
            UserInformation = new UserInformation { MaximumLength = maxPduLength, ImplementationClassUid = "1.2.3" },
        });
        var ac = Assert.IsType<AssociateAcceptPdu>(await peer.ReadAsync());
        Assert.All(ac.PresentationContexts, pc => Assert.Equal(PresentationContextResultCode.Acceptance, pc.Result));
        return peer;
    }

    /// <summary>Accepts one association from our SCU on <paramref name="listener"/>, accepting every context it proposes.</summary>
    public static async Task<WirePeer> AcceptAsync(TcpListener listener)
    {
        var peer = new WirePeer(await listener.AcceptSocketAsync());
        var rq = Assert.IsType<AssociateRequestPdu>(await peer.ReadAsync());
        await peer.SendAsync(new AssociateAcceptPdu
        {
            CalledAeTitle = rq.CalledAeTitle, CallingAeTitle = rq.CallingAeTitle,
            PresentationContexts = rq.PresentationContexts.Select(pc => new PresentationContextResult(pc.Id, PresentationContextResultCode.Acceptance, pc.TransferSyntaxes[0])).ToList(),
            UserInformation = new UserInformation { MaximumLength = 16384, ImplementationClassUid = "1.2.3" },
        });
        return peer;
    }

    public async Task SendAsync(DicomPdu pdu) => await _stream.WriteAsync(PduCodec.Encode(pdu));

    /// <summary>Bytes as they are: malformed PDUs, or a PDU's start without its end.</summary>
    public async Task WriteRawAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>One P-DATA-TF carrying these PDVs.</summary>
    public Task SendAsync(params PresentationDataValue[] values) => SendAsync(new DataTransferPdu(values));

    /// <summary>A message's bytes cut into PDVs of at most <paramref name="size"/> bytes, the last one flagged.</summary>
    public static PresentationDataValue[] Fragments(byte contextId, bool isCommand, ReadOnlyMemory<byte> bytes, int size)
    {
        var list = new List<PresentationDataValue>();
        for (int at = 0; at < bytes.Length; at += size)
        {
            var n = Math.Min(size, bytes.Length - at);
            list.Add(new PresentationDataValue(contextId, isCommand, at + n == bytes.Length, bytes.Slice(at, n)));
        }
        return [.. list];
    }

    public static PresentationDataValue Command(byte contextId, DimseCommand command) => new(contextId, true, true, command.Encode());

    /// <summary>The next PDU, or null when the other side closed the connection.</summary>
    public async Task<DicomPdu?> ReadAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var header = new byte[6];
        try
        {
            await _stream.ReadExactlyAsync(header, cts.Token);
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException)
        {
            return null;
        }
        var body = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(2))];
        await _stream.ReadExactlyAsync(body, cts.Token);
        return PduCodec.DecodeBody((PduType)header[0], body);
    }

    /// <summary>Reads P-DATA-TF PDUs until a whole message arrived: its command and its data set bytes (empty when none).</summary>
    public async Task<(byte ContextId, DimseCommand Command, byte[] DataSet)> ReadMessageAsync()
    {
        var command = new MemoryStream();
        var data = new MemoryStream();
        DimseCommand? decoded = null;
        while (true)
        {
            var pdu = Assert.IsType<DataTransferPdu>(await ReadAsync());
            foreach (var pdv in pdu.Values)
            {
                (pdv.IsCommand ? command : data).Write(pdv.Data.Span);
                if (!pdv.IsLast) continue;
                if (pdv.IsCommand)
                {
                    decoded = DimseCommand.Decode(command.ToArray());
                    if (!decoded.HasDataSet) return (pdv.PresentationContextId, decoded, []);
                }
                else return (pdv.PresentationContextId, decoded!, data.ToArray());
            }
        }
    }

    /// <summary>Reads until an A-ABORT arrives (returned) or the connection closes (null).</summary>
    public async Task<AbortPdu?> ExpectAbortAsync()
    {
        while (true)
        {
            var pdu = await ReadAsync();
            if (pdu is null) return null;
            if (pdu is AbortPdu abort) return abort;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
    }
}
