using Agent.Dicom.Network.UpperLayer;

namespace Agent.Dicom.Network.Tests;

public sealed class StateMachineTests
{
    /// <summary>PS3.8 Table 9-10, the non-abort transitions, transcribed independently of the implementation.</summary>
    public static TheoryData<State, Event, UpperLayerAction, State> LegalTransitions => new()
    {
        { State.Sta1Idle, Event.Evt1AssociateRequestLocal, UpperLayerAction.AE1, State.Sta4AwaitingTransportOpen },
        { State.Sta4AwaitingTransportOpen, Event.Evt2TransportConnectConfirm, UpperLayerAction.AE2, State.Sta5AwaitingAssociateAcOrRj },
        { State.Sta5AwaitingAssociateAcOrRj, Event.Evt3AssociateAcReceived, UpperLayerAction.AE3, State.Sta6Established },
        { State.Sta5AwaitingAssociateAcOrRj, Event.Evt4AssociateRjReceived, UpperLayerAction.AE4, State.Sta1Idle },
        { State.Sta1Idle, Event.Evt5TransportConnectIndication, UpperLayerAction.AE5, State.Sta2TransportOpen },
        { State.Sta2TransportOpen, Event.Evt6AssociateRqReceived, UpperLayerAction.AE6, State.Sta3AwaitingLocalAssociateResponse },
        { State.Sta3AwaitingLocalAssociateResponse, Event.Evt7AssociateAcceptLocal, UpperLayerAction.AE7, State.Sta6Established },
        { State.Sta3AwaitingLocalAssociateResponse, Event.Evt8AssociateRejectLocal, UpperLayerAction.AE8, State.Sta13AwaitingTransportClose },
        { State.Sta6Established, Event.Evt9PDataRequestLocal, UpperLayerAction.DT1, State.Sta6Established },
        { State.Sta6Established, Event.Evt10PDataReceived, UpperLayerAction.DT2, State.Sta6Established },
        { State.Sta6Established, Event.Evt11ReleaseRequestLocal, UpperLayerAction.AR1, State.Sta7AwaitingReleaseRp },
        { State.Sta6Established, Event.Evt12ReleaseRqReceived, UpperLayerAction.AR2, State.Sta8AwaitingLocalReleaseResponse },
        { State.Sta7AwaitingReleaseRp, Event.Evt13ReleaseRpReceived, UpperLayerAction.AR3, State.Sta1Idle },
        { State.Sta8AwaitingLocalReleaseResponse, Event.Evt14ReleaseResponseLocal, UpperLayerAction.AR4, State.Sta13AwaitingTransportClose },
        { State.Sta13AwaitingTransportClose, Event.Evt17TransportClosed, UpperLayerAction.AR5, State.Sta1Idle },
        { State.Sta7AwaitingReleaseRp, Event.Evt10PDataReceived, UpperLayerAction.AR6, State.Sta7AwaitingReleaseRp },
        { State.Sta8AwaitingLocalReleaseResponse, Event.Evt9PDataRequestLocal, UpperLayerAction.AR7, State.Sta8AwaitingLocalReleaseResponse },
        { State.Sta9CollisionRequestorAwaitingLocalResponse, Event.Evt14ReleaseResponseLocal, UpperLayerAction.AR9, State.Sta11CollisionRequestorAwaitingReleaseRp },
        { State.Sta10CollisionAcceptorAwaitingReleaseRp, Event.Evt13ReleaseRpReceived, UpperLayerAction.AR10, State.Sta12CollisionAcceptorAwaitingLocalResponse },
        { State.Sta11CollisionRequestorAwaitingReleaseRp, Event.Evt13ReleaseRpReceived, UpperLayerAction.AR3, State.Sta1Idle },
        { State.Sta12CollisionAcceptorAwaitingLocalResponse, Event.Evt14ReleaseResponseLocal, UpperLayerAction.AR4, State.Sta13AwaitingTransportClose },
        { State.Sta6Established, Event.Evt15AbortRequestLocal, UpperLayerAction.AA1, State.Sta13AwaitingTransportClose },
        { State.Sta4AwaitingTransportOpen, Event.Evt15AbortRequestLocal, UpperLayerAction.AA2, State.Sta1Idle },
        { State.Sta6Established, Event.Evt16AbortReceived, UpperLayerAction.AA3, State.Sta1Idle },
        { State.Sta13AwaitingTransportClose, Event.Evt16AbortReceived, UpperLayerAction.AA2, State.Sta1Idle },
        { State.Sta6Established, Event.Evt17TransportClosed, UpperLayerAction.AA4, State.Sta1Idle },
        { State.Sta2TransportOpen, Event.Evt17TransportClosed, UpperLayerAction.AA5, State.Sta1Idle },
        { State.Sta2TransportOpen, Event.Evt18ArtimExpired, UpperLayerAction.AA2, State.Sta1Idle },
        { State.Sta13AwaitingTransportClose, Event.Evt18ArtimExpired, UpperLayerAction.AA2, State.Sta1Idle },
        { State.Sta13AwaitingTransportClose, Event.Evt10PDataReceived, UpperLayerAction.AA6, State.Sta13AwaitingTransportClose },
        { State.Sta13AwaitingTransportClose, Event.Evt6AssociateRqReceived, UpperLayerAction.AA7, State.Sta13AwaitingTransportClose },
    };

    [Theory]
    [MemberData(nameof(LegalTransitions))]
    public void Each_legal_transition_of_the_standard_table_is_in_the_state_machine(State state, Event evt, UpperLayerAction action, State next)
    {
        Assert.Equal(new Transition(action, next), StateMachine.Resolve(state, evt, isAssociationRequestor: true));
    }

    [Fact]
    public void A_release_collision_leads_the_requestor_to_sta9_and_the_acceptor_to_sta10()
    {
        Assert.Equal(new Transition(UpperLayerAction.AR8, State.Sta9CollisionRequestorAwaitingLocalResponse),
            StateMachine.Resolve(State.Sta7AwaitingReleaseRp, Event.Evt12ReleaseRqReceived, isAssociationRequestor: true));
        Assert.Equal(new Transition(UpperLayerAction.AR8, State.Sta10CollisionAcceptorAwaitingReleaseRp),
            StateMachine.Resolve(State.Sta7AwaitingReleaseRp, Event.Evt12ReleaseRqReceived, isAssociationRequestor: false));
    }

    public static TheoryData<State, Event> UnexpectedPdus => new()
    {
        { State.Sta2TransportOpen, Event.Evt10PDataReceived },
        { State.Sta2TransportOpen, Event.Evt12ReleaseRqReceived },
        { State.Sta3AwaitingLocalAssociateResponse, Event.Evt10PDataReceived },
        { State.Sta5AwaitingAssociateAcOrRj, Event.Evt10PDataReceived },
        { State.Sta6Established, Event.Evt3AssociateAcReceived },
        { State.Sta6Established, Event.Evt6AssociateRqReceived },
        { State.Sta6Established, Event.Evt13ReleaseRpReceived },
        { State.Sta6Established, Event.Evt19InvalidPduReceived },
        { State.Sta8AwaitingLocalReleaseResponse, Event.Evt10PDataReceived },
        { State.Sta12CollisionAcceptorAwaitingLocalResponse, Event.Evt12ReleaseRqReceived },
    };

    [Theory]
    [MemberData(nameof(UnexpectedPdus))]
    public void Every_unexpected_pdu_leads_to_an_abort_and_sta13(State state, Event evt)
    {
        var t = StateMachine.Resolve(state, evt, isAssociationRequestor: false);
        Assert.True(t.SendsAbort, $"{state} {evt} -> {t}");
        Assert.Equal(State.Sta13AwaitingTransportClose, t.Next);
    }

    [Fact]
    public void Every_received_pdu_event_in_every_connected_state_has_a_transition()
    {
        var pduEvents = new[]
        {
            Event.Evt3AssociateAcReceived, Event.Evt4AssociateRjReceived, Event.Evt6AssociateRqReceived, Event.Evt10PDataReceived,
            Event.Evt12ReleaseRqReceived, Event.Evt13ReleaseRpReceived, Event.Evt16AbortReceived, Event.Evt19InvalidPduReceived,
        };
        foreach (var state in Enum.GetValues<State>().Where(s => s is not (State.Sta1Idle or State.Sta4AwaitingTransportOpen)))
        {
            foreach (var evt in pduEvents)
            {
                var listed = StateMachine.Rows.Any(r => r.State == state && r.Event == evt);
                Assert.True(listed, $"the table has no entry for {evt} in {state}");
            }
        }
    }

    [Fact]
    public void Local_primitives_in_the_wrong_state_are_refused_not_executed()
    {
        Assert.Equal(UpperLayerAction.None, StateMachine.Resolve(State.Sta2TransportOpen, Event.Evt9PDataRequestLocal, true).Action);
        Assert.Equal(UpperLayerAction.None, StateMachine.Resolve(State.Sta7AwaitingReleaseRp, Event.Evt9PDataRequestLocal, true).Action);
        Assert.Equal(UpperLayerAction.None, StateMachine.Resolve(State.Sta13AwaitingTransportClose, Event.Evt11ReleaseRequestLocal, true).Action);
    }
}
