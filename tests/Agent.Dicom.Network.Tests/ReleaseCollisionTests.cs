using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Agent.Dicom.Network.Association;
using Agent.Dicom.Network.Client;
using Agent.Dicom.Network.Dimse;
using Agent.Dicom.Network.Pdu;
using Agent.Dicom.Network.Services;
using Agent.Dicom.Network.UpperLayer;
using Microsoft.Extensions.Logging.Abstractions;

namespace Agent.Dicom.Network.Tests;

/// <summary>
/// Release collisions (PS3.8 9.2.2) made deterministic with a scripted raw peer: it answers our A-RELEASE-RQ with its
/// own A-RELEASE-RQ, so our side must go through the collision states on either end of the association.
/// </summary>
public sealed class ReleaseCollisionTests
{
    private static async Task<DicomPdu> ReadAsync(NetworkStream stream)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var header = new byte[6];
        await stream.ReadExactlyAsync(header, cts.Token);
        var body = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(2))];
        await stream.ReadExactlyAsync(body, cts.Token);
        return PduCodec.DecodeBody((PduType)header[0], body);
    }

    [Fact]
    public async Task The_requestor_answers_a_colliding_release_request_and_completes_through_sta9_and_sta11()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var clientTask = DicomClient.ConnectForAsync(new DicomClientOptions { Host = "127.0.0.1", Port = port }, [new CEchoRequest()]);
        using var socket = await listener.AcceptSocketAsync();
        await using var peer = new NetworkStream(socket);
        var rq = Assert.IsType<AssociateRequestPdu>(await ReadAsync(peer));
        var pc = rq.PresentationContexts[0];
        await peer.WriteAsync(PduCodec.Encode(new AssociateAcceptPdu
        {
            CalledAeTitle = rq.CalledAeTitle, CallingAeTitle = rq.CallingAeTitle,
            PresentationContexts = [new PresentationContextResult(pc.Id, PresentationContextResultCode.Acceptance, pc.TransferSyntaxes[0])],
            UserInformation = new UserInformation { MaximumLength = 16384, ImplementationClassUid = "1.2.3" },
        }));
        await using var client = await clientTask;

        var releasing = client.ReleaseAsync();
        Assert.IsType<ReleaseRequestPdu>(await ReadAsync(peer));
        await peer.WriteAsync(PduCodec.Encode(new ReleaseRequestPdu()));     // collision: requestor in Sta7 gets RQ
        Assert.IsType<ReleaseResponsePdu>(await ReadAsync(peer));            // AR-9 from Sta9
        await peer.WriteAsync(PduCodec.Encode(new ReleaseResponsePdu()));    // AR-3 from Sta11
        await releasing.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task The_acceptor_waits_for_the_peer_response_in_a_collision_and_completes_through_sta10_and_sta12()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var raw = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await raw.ConnectAsync(IPAddress.Loopback, port);
        using var accepted = await listener.AcceptSocketAsync();
        await using var peer = new NetworkStream(raw);
        var trace = new List<(State State, Event Event, Transition Transition)>();
        var acceptor = new DicomConnection(new NetworkStream(accepted, ownsSocket: false), isRequestor: false, new AssociationOptions(), NullLogger.Instance)
        {
            Trace = trace,
            Negotiate = (rq, _) =>
            {
                var pc = rq.PresentationContexts[0];
                var ac = new AssociateAcceptPdu
                {
                    CalledAeTitle = rq.CalledAeTitle, CallingAeTitle = rq.CallingAeTitle,
                    PresentationContexts = [new PresentationContextResult(pc.Id, PresentationContextResultCode.Acceptance, pc.TransferSyntaxes[0])],
                    UserInformation = new UserInformation { MaximumLength = 16384, ImplementationClassUid = "1.2.3" },
                };
                var info = new AssociationInfo
                {
                    Id = "test", CallingAeTitle = rq.CallingAeTitle, CalledAeTitle = rq.CalledAeTitle, PeerMaxPduLength = 16384, LocalMaxPduLength = 16384,
                    PresentationContexts = new Dictionary<byte, AcceptedPresentationContext> { [pc.Id] = new(pc.Id, pc.AbstractSyntax, pc.TransferSyntaxes[0]) },
                };
                return ValueTask.FromResult(new NegotiationOutcome(ac, info, null));
            },
        };
        DimseService.Attach(acceptor, new DicomServices(), new AssociationOptions(), NullLogger.Instance);
        var loop = acceptor.RunAsync(CancellationToken.None, CancellationToken.None);
        await peer.WriteAsync(PduCodec.Encode(new AssociateRequestPdu
        {
            CalledAeTitle = "AGENT", CallingAeTitle = "PEER",
            PresentationContexts = [new PresentationContextProposal(1, DicomUids.Verification.Uid, ["1.2.840.10008.1.2"])],
            UserInformation = new UserInformation { MaximumLength = 16384, ImplementationClassUid = "1.2.3" },
        }));
        Assert.IsType<AssociateAcceptPdu>(await ReadAsync(peer));

        var releasing = acceptor.ReleaseAsync(CancellationToken.None).AsTask();
        Assert.IsType<ReleaseRequestPdu>(await ReadAsync(peer));
        await peer.WriteAsync(PduCodec.Encode(new ReleaseRequestPdu()));     // collision: acceptor in Sta7 gets RQ -> Sta10
        await peer.WriteAsync(PduCodec.Encode(new ReleaseResponsePdu()));    // AR-10 -> Sta12, then AR-4
        Assert.IsType<ReleaseResponsePdu>(await ReadAsync(peer));
        await releasing.WaitAsync(TimeSpan.FromSeconds(60));
        raw.Close();
        await loop.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Null(acceptor.AbortCause);
        var steps = trace.Select(t => (t.Transition.Action, t.Transition.Next)).ToList();
        Assert.Contains((UpperLayerAction.AR8, State.Sta10CollisionAcceptorAwaitingReleaseRp), steps);
        Assert.Contains((UpperLayerAction.AR10, State.Sta12CollisionAcceptorAwaitingLocalResponse), steps);
        Assert.Contains((UpperLayerAction.AR4, State.Sta13AwaitingTransportClose), steps);
        Assert.Contains((UpperLayerAction.AR5, State.Sta1Idle), steps);
        await acceptor.DisposeAsync();
    }
}
