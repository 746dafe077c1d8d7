using System.Net;
using Agent.Dicom.Network.Pdu;

namespace Agent.Dicom.Network.Services;

/// <summary>The parts of an A-ASSOCIATE-RQ an authorizer decides on.</summary>
public sealed record AssociationRequestInfo(string CallingAeTitle, string CalledAeTitle, IPEndPoint? RemoteEndPoint,
    UserIdentityRequest? UserIdentity, AssociateRequestPdu Request, string? ClientCertificateSubject);

/// <summary>
/// The authorizer's answer: accept (optionally with a server response for user identity) or reject. A transient
/// rejection (for example a full disk) tells the sender to try again later; a permanent one (bad credentials) not to.
/// </summary>
public sealed record AuthorizationResult(bool Accepted, ReadOnlyMemory<byte> ServerResponse = default, string? Reason = null, bool Transient = false)
{
    public static AuthorizationResult Accept { get; } = new(true);

    /// <summary>A-ASSOCIATE-RJ result 1 rejected-permanent, source 1 service-user, reason 1 no-reason-given.</summary>
    public static AuthorizationResult Reject(string reason) => new(false, default, reason);

    /// <summary>A-ASSOCIATE-RJ result 2 rejected-transient, source 1 service-user, reason 1 no-reason-given (PS3.8 9.3.4).</summary>
    public static AuthorizationResult RejectTransient(string reason) => new(false, default, reason, Transient: true);
}

/// <summary>
/// Decides whether an association may proceed after AE title and address checks passed; receives the user identity
/// (username/passcode, Kerberos, SAML or JWT) when the requestor sent one.
/// </summary>
public interface IAssociationAuthorizer
{
    ValueTask<AuthorizationResult> AuthorizeAsync(AssociationRequestInfo request, CancellationToken cancellationToken);
}
