using System.Collections.Frozen;

namespace Agent.Dicom.Network.UpperLayer;

/// <summary>Association states of PS3.8 Table 9-1.</summary>
public enum State
{
    Sta1Idle = 1,
    Sta2TransportOpen,
    Sta3AwaitingLocalAssociateResponse,
    Sta4AwaitingTransportOpen,
    Sta5AwaitingAssociateAcOrRj,
    Sta6Established,
    Sta7AwaitingReleaseRp,
    Sta8AwaitingLocalReleaseResponse,
    Sta9CollisionRequestorAwaitingLocalResponse,
    Sta10CollisionAcceptorAwaitingReleaseRp,
    Sta11CollisionRequestorAwaitingReleaseRp,
    Sta12CollisionAcceptorAwaitingLocalResponse,
    Sta13AwaitingTransportClose,
}

/// <summary>Events of PS3.8 Table 9-2 (local primitives, received PDUs, transport and timer events).</summary>
public enum Event
{
    Evt1AssociateRequestLocal = 1,
    Evt2TransportConnectConfirm,
    Evt3AssociateAcReceived,
    Evt4AssociateRjReceived,
    Evt5TransportConnectIndication,
    Evt6AssociateRqReceived,
    Evt7AssociateAcceptLocal,
    Evt8AssociateRejectLocal,
    Evt9PDataRequestLocal,
    Evt10PDataReceived,
    Evt11ReleaseRequestLocal,
    Evt12ReleaseRqReceived,
    Evt13ReleaseRpReceived,
    Evt14ReleaseResponseLocal,
    Evt15AbortRequestLocal,
    Evt16AbortReceived,
    Evt17TransportClosed,
    Evt18ArtimExpired,
    Evt19InvalidPduReceived,
}

/// <summary>Actions of PS3.8 Table 9-3 to 9-8.</summary>
public enum UpperLayerAction
{
    /// <summary>Not a transition of the table (a local primitive issued in the wrong state).</summary>
    None = 0,
    AE1, AE2, AE3, AE4, AE5, AE6, AE7, AE8,
    DT1, DT2,
    AR1, AR2, AR3, AR4, AR5, AR6, AR7, AR8, AR9, AR10,
    AA1, AA2, AA3, AA4, AA5, AA6, AA7, AA8,
}

/// <summary>One cell of the state table: the action to perform and the state it leads to.</summary>
public readonly record struct Transition(UpperLayerAction Action, State Next)
{
    /// <summary>True for the abort actions that send an A-ABORT PDU.</summary>
    public bool SendsAbort => Action is UpperLayerAction.AA1 or UpperLayerAction.AA7 or UpperLayerAction.AA8;
}

/// <summary>
/// The DICOM upper layer state table (PS3.8 Table 9-10), written as data so it can be checked line by line against
/// the standard. A received PDU in a state the table does not list is answered with AA-8 (A-ABORT, provider source),
/// so no unexpected input ever goes unhandled.
/// </summary>
public static class StateMachine
{
    private static readonly State[] Sta6To12 =
    [
        State.Sta6Established, State.Sta7AwaitingReleaseRp, State.Sta8AwaitingLocalReleaseResponse,
        State.Sta9CollisionRequestorAwaitingLocalResponse, State.Sta10CollisionAcceptorAwaitingReleaseRp,
        State.Sta11CollisionRequestorAwaitingReleaseRp, State.Sta12CollisionAcceptorAwaitingLocalResponse,
    ];

    private static readonly State[] Sta8To12 = Sta6To12[2..];

    private static readonly FrozenDictionary<(State, Event), Transition> Table = Build();

    /// <summary>The table as (state, event, action, next state) rows, for tests and documentation.</summary>
    public static IEnumerable<(State State, Event Event, Transition Transition)> Rows
        => Table.Select(kv => (kv.Key.Item1, kv.Key.Item2, kv.Value));

    private static FrozenDictionary<(State, Event), Transition> Build()
    {
        var t = new Dictionary<(State, Event), Transition>();
        void Add(Event e, State s, UpperLayerAction a, State next) => t.Add((s, e), new Transition(a, next));
        void AddMany(Event e, IEnumerable<State> states, UpperLayerAction a, State next)
        {
            foreach (var s in states) Add(e, s, a, next);
        }

        const State Sta1 = State.Sta1Idle, Sta2 = State.Sta2TransportOpen, Sta3 = State.Sta3AwaitingLocalAssociateResponse,
            Sta4 = State.Sta4AwaitingTransportOpen, Sta5 = State.Sta5AwaitingAssociateAcOrRj, Sta6 = State.Sta6Established,
            Sta7 = State.Sta7AwaitingReleaseRp, Sta8 = State.Sta8AwaitingLocalReleaseResponse,
            Sta9 = State.Sta9CollisionRequestorAwaitingLocalResponse, Sta10 = State.Sta10CollisionAcceptorAwaitingReleaseRp,
            Sta11 = State.Sta11CollisionRequestorAwaitingReleaseRp, Sta12 = State.Sta12CollisionAcceptorAwaitingLocalResponse,
            Sta13 = State.Sta13AwaitingTransportClose;

        // Evt1 A-ASSOCIATE request (local user)
        Add(Event.Evt1AssociateRequestLocal, Sta1, UpperLayerAction.AE1, Sta4);
        // Evt2 transport connect confirmation
        Add(Event.Evt2TransportConnectConfirm, Sta4, UpperLayerAction.AE2, Sta5);
        // Evt3 A-ASSOCIATE-AC PDU received
        Add(Event.Evt3AssociateAcReceived, Sta2, UpperLayerAction.AA1, Sta13);
        Add(Event.Evt3AssociateAcReceived, Sta3, UpperLayerAction.AA8, Sta13);
        Add(Event.Evt3AssociateAcReceived, Sta5, UpperLayerAction.AE3, Sta6);
        AddMany(Event.Evt3AssociateAcReceived, Sta6To12, UpperLayerAction.AA8, Sta13);
        Add(Event.Evt3AssociateAcReceived, Sta13, UpperLayerAction.AA6, Sta13);
        // Evt4 A-ASSOCIATE-RJ PDU received
        Add(Event.Evt4AssociateRjReceived, Sta2, UpperLayerAction.AA1, Sta13);
        Add(Event.Evt4AssociateRjReceived, Sta3, UpperLayerAction.AA8, Sta13);
        Add(Event.Evt4AssociateRjReceived, Sta5, UpperLayerAction.AE4, Sta1);
        AddMany(Event.Evt4AssociateRjReceived, Sta6To12, UpperLayerAction.AA8, Sta13);
        Add(Event.Evt4AssociateRjReceived, Sta13, UpperLayerAction.AA6, Sta13);
        // Evt5 transport connection indication
        Add(Event.Evt5TransportConnectIndication, Sta1, UpperLayerAction.AE5, Sta2);
        // Evt6 A-ASSOCIATE-RQ PDU received
        Add(Event.Evt6AssociateRqReceived, Sta2, UpperLayerAction.AE6, Sta3);
        Add(Event.Evt6AssociateRqReceived, Sta3, UpperLayerAction.AA8, Sta13);
        Add(Event.Evt6AssociateRqReceived, Sta5, UpperLayerAction.AA8, Sta13);
        AddMany(Event.Evt6AssociateRqReceived, Sta6To12, UpperLayerAction.AA8, Sta13);
        Add(Event.Evt6AssociateRqReceived, Sta13, UpperLayerAction.AA7, Sta13);
        // Evt7/Evt8 local A-ASSOCIATE response (accept / reject)
        Add(Event.Evt7AssociateAcceptLocal, Sta3, UpperLayerAction.AE7, Sta6);
        Add(Event.Evt8AssociateRejectLocal, Sta3, UpperLayerAction.AE8, Sta13);
        // Evt9 P-DATA request (local)
        Add(Event.Evt9PDataRequestLocal, Sta6, UpperLayerAction.DT1, Sta6);
        Add(Event.Evt9PDataRequestLocal, Sta8, UpperLayerAction.AR7, Sta8);
        // Evt10 P-DATA-TF PDU received
        Add(Event.Evt10PDataReceived, Sta2, UpperLayerAction.AA1, Sta13);
        Add(Event.Evt10PDataReceived, Sta3, UpperLayerAction.AA8, Sta13);
        Add(Event.Evt10PDataReceived, Sta5, UpperLayerAction.AA8, Sta13);
        Add(Event.Evt10PDataReceived, Sta6, UpperLayerAction.DT2, Sta6);
        Add(Event.Evt10PDataReceived, Sta7, UpperLayerAction.AR6, Sta7);
        AddMany(Event.Evt10PDataReceived, Sta8To12, UpperLayerAction.AA8, Sta13);
        Add(Event.Evt10PDataReceived, Sta13, UpperLayerAction.AA6, Sta13);
        // Evt11 A-RELEASE request (local)
        Add(Event.Evt11ReleaseRequestLocal, Sta6, UpperLayerAction.AR1, Sta7);
        // Evt12 A-RELEASE-RQ PDU received (AR-8 leads to Sta9 or Sta10, see Resolve)
        Add(Event.Evt12ReleaseRqReceived, Sta2, UpperLayerAction.AA1, Sta13);
        Add(Event.Evt12ReleaseRqReceived, Sta3, UpperLayerAction.AA8, Sta13);
        Add(Event.Evt12ReleaseRqReceived, Sta5, UpperLayerAction.AA8, Sta13);
        Add(Event.Evt12ReleaseRqReceived, Sta6, UpperLayerAction.AR2, Sta8);
        Add(Event.Evt12ReleaseRqReceived, Sta7, UpperLayerAction.AR8, Sta9);
        AddMany(Event.Evt12ReleaseRqReceived, Sta8To12, UpperLayerAction.AA8, Sta13);
        Add(Event.Evt12ReleaseRqReceived, Sta13, UpperLayerAction.AA6, Sta13);
        // Evt13 A-RELEASE-RP PDU received
        Add(Event.Evt13ReleaseRpReceived, Sta2, UpperLayerAction.AA1, Sta13);
        Add(Event.Evt13ReleaseRpReceived, Sta3, UpperLayerAction.AA8, Sta13);
        Add(Event.Evt13ReleaseRpReceived, Sta5, UpperLayerAction.AA8, Sta13);
        Add(Event.Evt13ReleaseRpReceived, Sta6, UpperLayerAction.AA8, Sta13);
        Add(Event.Evt13ReleaseRpReceived, Sta7, UpperLayerAction.AR3, Sta1);
        Add(Event.Evt13ReleaseRpReceived, Sta8, UpperLayerAction.AA8, Sta13);
        Add(Event.Evt13ReleaseRpReceived, Sta9, UpperLayerAction.AA8, Sta13);
        Add(Event.Evt13ReleaseRpReceived, Sta10, UpperLayerAction.AR10, Sta12);
        Add(Event.Evt13ReleaseRpReceived, Sta11, UpperLayerAction.AR3, Sta1);
        Add(Event.Evt13ReleaseRpReceived, Sta12, UpperLayerAction.AA8, Sta13);
        Add(Event.Evt13ReleaseRpReceived, Sta13, UpperLayerAction.AA6, Sta13);
        // Evt14 A-RELEASE response (local)
        Add(Event.Evt14ReleaseResponseLocal, Sta8, UpperLayerAction.AR4, Sta13);
        Add(Event.Evt14ReleaseResponseLocal, Sta9, UpperLayerAction.AR9, Sta11);
        Add(Event.Evt14ReleaseResponseLocal, Sta12, UpperLayerAction.AR4, Sta13);
        // Evt15 A-ABORT request (local)
        Add(Event.Evt15AbortRequestLocal, Sta3, UpperLayerAction.AA1, Sta13);
        Add(Event.Evt15AbortRequestLocal, Sta4, UpperLayerAction.AA2, Sta1);
        Add(Event.Evt15AbortRequestLocal, Sta5, UpperLayerAction.AA1, Sta13);
        AddMany(Event.Evt15AbortRequestLocal, Sta6To12, UpperLayerAction.AA1, Sta13);
        // Evt16 A-ABORT PDU received
        Add(Event.Evt16AbortReceived, Sta2, UpperLayerAction.AA2, Sta1);
        Add(Event.Evt16AbortReceived, Sta3, UpperLayerAction.AA3, Sta1);
        Add(Event.Evt16AbortReceived, Sta5, UpperLayerAction.AA3, Sta1);
        AddMany(Event.Evt16AbortReceived, Sta6To12, UpperLayerAction.AA3, Sta1);
        Add(Event.Evt16AbortReceived, Sta13, UpperLayerAction.AA2, Sta1);
        // Evt17 transport connection closed
        Add(Event.Evt17TransportClosed, Sta2, UpperLayerAction.AA5, Sta1);
        Add(Event.Evt17TransportClosed, Sta3, UpperLayerAction.AA4, Sta1);
        Add(Event.Evt17TransportClosed, Sta4, UpperLayerAction.AA4, Sta1);
        Add(Event.Evt17TransportClosed, Sta5, UpperLayerAction.AA4, Sta1);
        AddMany(Event.Evt17TransportClosed, Sta6To12, UpperLayerAction.AA4, Sta1);
        Add(Event.Evt17TransportClosed, Sta13, UpperLayerAction.AR5, Sta1);
        // Evt18 ARTIM timer expired
        Add(Event.Evt18ArtimExpired, Sta2, UpperLayerAction.AA2, Sta1);
        Add(Event.Evt18ArtimExpired, Sta13, UpperLayerAction.AA2, Sta1);
        // Evt19 unrecognized or invalid PDU received
        Add(Event.Evt19InvalidPduReceived, Sta2, UpperLayerAction.AA1, Sta13);
        Add(Event.Evt19InvalidPduReceived, Sta3, UpperLayerAction.AA8, Sta13);
        Add(Event.Evt19InvalidPduReceived, Sta5, UpperLayerAction.AA8, Sta13);
        AddMany(Event.Evt19InvalidPduReceived, Sta6To12, UpperLayerAction.AA8, Sta13);
        Add(Event.Evt19InvalidPduReceived, Sta13, UpperLayerAction.AA7, Sta13);

        return t.ToFrozenDictionary();
    }

    /// <summary>True for events caused by the remote side or the network rather than by a local primitive.</summary>
    public static bool IsRemoteEvent(Event e)
        => e is Event.Evt3AssociateAcReceived or Event.Evt4AssociateRjReceived or Event.Evt5TransportConnectIndication
            or Event.Evt6AssociateRqReceived or Event.Evt10PDataReceived or Event.Evt12ReleaseRqReceived
            or Event.Evt13ReleaseRpReceived or Event.Evt16AbortReceived or Event.Evt17TransportClosed
            or Event.Evt18ArtimExpired or Event.Evt19InvalidPduReceived;

    /// <summary>
    /// The transition for <paramref name="evt"/> in <paramref name="state"/>. Remote events the table does not list are
    /// answered with AA-8; local primitives it does not list return <see cref="UpperLayerAction.None"/> (a caller error).
    /// </summary>
    public static Transition Resolve(State state, Event evt, bool isAssociationRequestor)
    {
        if (Table.TryGetValue((state, evt), out var transition))
        {
            if (transition.Action == UpperLayerAction.AR8)
                return new Transition(UpperLayerAction.AR8, isAssociationRequestor ? State.Sta9CollisionRequestorAwaitingLocalResponse : State.Sta10CollisionAcceptorAwaitingReleaseRp);
            return transition;
        }
        if (IsRemoteEvent(evt))
        {
            // Idle or connecting: there is no peer to abort; just stay closed.
            if (state is State.Sta1Idle or State.Sta4AwaitingTransportOpen) return new Transition(UpperLayerAction.AA2, State.Sta1Idle);
            return new Transition(UpperLayerAction.AA8, State.Sta13AwaitingTransportClose);
        }
        return new Transition(UpperLayerAction.None, state);
    }
}
