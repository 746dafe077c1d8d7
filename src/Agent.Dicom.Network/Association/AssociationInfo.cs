using System.Net;
using Agent.Dicom.Network.Pdu;

namespace Agent.Dicom.Network.Association;

/// <summary>A presentation context both sides agreed on.</summary>
public sealed record AcceptedPresentationContext(byte Id, string AbstractSyntax, string TransferSyntax);

/// <summary>What is known about one association: who, from where, and what was negotiated.</summary>
public sealed record AssociationInfo
{
    /// <summary>A short id unique within this process, used in logs and provenance records.</summary>
    public required string Id { get; init; }
    public required string CallingAeTitle { get; init; }
    public required string CalledAeTitle { get; init; }
    public IPEndPoint? RemoteEndPoint { get; init; }
    public bool IsTls { get; init; }
    /// <summary>Subject of the verified client certificate, when TLS with client certificates is used.</summary>
    public string? ClientCertificateSubject { get; init; }
    public string RemoteImplementationClassUid { get; init; } = "";
    public string? RemoteImplementationVersionName { get; init; }
    public UserIdentityRequest? UserIdentity { get; init; }
    public IReadOnlyList<ExtendedNegotiation> ExtendedNegotiations { get; init; } = [];
    public IReadOnlyList<CommonExtendedNegotiation> CommonExtendedNegotiations { get; init; } = [];
    public IReadOnlyDictionary<byte, AcceptedPresentationContext> PresentationContexts { get; init; } = new Dictionary<byte, AcceptedPresentationContext>();
    /// <summary>Roles agreed per SOP class by role selection (SCU role, SCP role from the requestor's point of view).</summary>
    public IReadOnlyList<RoleSelection> RoleSelections { get; init; } = [];
    /// <summary>Largest P-DATA-TF the peer accepts (0 = unlimited).</summary>
    public uint PeerMaxPduLength { get; init; }
    /// <summary>Largest P-DATA-TF this side accepts.</summary>
    public uint LocalMaxPduLength { get; init; }
    public AsyncOperationsWindow? AsyncOperations { get; init; }

    public override string ToString() => $"{Id} {CallingAeTitle}->{CalledAeTitle} from {RemoteEndPoint}";
}
