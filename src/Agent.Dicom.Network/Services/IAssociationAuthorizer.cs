using System.Net;
using Agent.Dicom.Network.Pdu;

namespace Agent.Dicom.Network.Services;

/// <summary>The parts of an A-ASSOCIATE-RQ an authorizer decides on.</summary>
public sealed record AssociationRequestInfo(string CallingAeTitle, string CalledAeTitle, IPEndPoint? RemoteEndPoint,
    UserIdentityRequest? UserIdentity, AssociateRequestPdu Request, string? ClientCertificateSubject);

/// <summary>The authorizer's answer: accept (optionally with a server response for user identity) or reject.</summary>
public sealed record AuthorizationResult(bool Accepted, ReadOnlyMemory<byte> ServerResponse = default, string? Reason = null)
{
    public static AuthorizationResult Accept { get; } = new(true);
    public static AuthorizationResult Reject(string reason) => new(false, default, reason);
}

/// <summary>
/// Decides whether an association may proceed after AE title and address checks passed; receives the user identity
/// (username/passcode, Kerberos, SAML or JWT) when the requestor sent one.
/// </summary>
public interface IAssociationAuthorizer
{
    ValueTask<AuthorizationResult> AuthorizeAsync(AssociationRequestInfo request, CancellationToken cancellationToken);
}
