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

public sealed class ReleaseCollisionTests
{
    [Fact]
    public async Task When_both_sides_request_release_at_once_both_complete_through_the_collision_states()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var acceptTask = listener.AcceptSocketAsync();
        var clientTask = DicomClient.ConnectForAsync(new DicomClientOptions { Host = "127.0.0.1", Port = port }, [new CEchoRequest()]);
        using var socket = await acceptTask;
        var trace = new List<(State State, Event Event, Transition Transition)>();
        var acceptor = new DicomConnection(new NetworkStream(socket, ownsSocket: true), isRequestor: false, new AssociationOptions(), new DicomServices(), NullLogger.Instance)
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
        var acceptorLoop = acceptor.RunAsync(CancellationToken.None, CancellationToken.None);
        await using var client = await clientTask;
        Assert.True((await client.SendForFinalAsync(new CEchoRequest())).Status.IsSuccess);

        // Both release requests leave before either side sees the other's: a release collision (PS3.8 9.2.2).
        var fromAcceptor = acceptor.ReleaseAsync(CancellationToken.None).AsTask();
        var fromRequestor = client.ReleaseAsync();
        await Task.WhenAll(fromAcceptor, fromRequestor).WaitAsync(TimeSpan.FromSeconds(10));
        await acceptorLoop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(acceptor.AbortReason);
        Assert.Equal(State.Sta1Idle, acceptor.State);
        var actions = trace.Select(t => t.Transition.Action).ToList();
        Assert.Contains(UpperLayer.Action.AR8, actions);   // release RQ received in Sta7 -> Sta10 (acceptor)
        Assert.Contains(UpperLayer.Action.AR10, actions);  // release RP received in Sta10 -> Sta12
        Assert.Contains(UpperLayer.Action.AR4, actions);   // our release RP sent -> Sta13
        Assert.False(client.IsConnected);
        await acceptor.DisposeAsync();
    }
}
