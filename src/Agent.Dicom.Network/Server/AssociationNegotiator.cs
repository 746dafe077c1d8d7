using System.Collections.Frozen;
using System.Net;
using Agent.Dicom.Network.Association;
using Agent.Dicom.Network.Pdu;
using Agent.Dicom.Network.Services;
using Agent.Dicom.Network.UpperLayer;

namespace Agent.Dicom.Network.Server;

/// <summary>
/// The acceptor's side of association negotiation: access control (called AE, calling AE + source network, user
/// identity via the authorizer), then presentation contexts by configuration, maximum PDU length, roles and the
/// asynchronous operations window.
/// </summary>
internal sealed class AssociationNegotiator(DicomServerOptions options, DicomServices services, IAssociationAuthorizer? authorizer)
{
    private static readonly string StorageCommitment = DicomUids.StorageCommitmentPushModel.Uid;

    private readonly FrozenSet<string> _nServices = NServiceClasses(options, services);

    /// <summary>The normalized SOP classes offered: those whose provider is registered, unless the options turn them off.</summary>
    private static FrozenSet<string> NServiceClasses(DicomServerOptions options, DicomServices services)
    {
        var classes = new List<string>();
        if (options.AcceptMpps && services.Mpps is not null) classes.Add(DicomUids.ModalityPerformedProcedureStep.Uid);
        if (options.AcceptInstanceAvailability && services.InstanceAvailability is not null) classes.Add(DicomUids.InstanceAvailabilityNotification.Uid);
        if (options.AcceptStorageCommitmentReports && services.StorageCommitmentReports is not null) classes.Add(StorageCommitment);
        return classes.ToFrozenSet(StringComparer.Ordinal);
    }

    public async ValueTask<NegotiationOutcome> NegotiateAsync(AssociateRequestPdu rq, string associationId, IPEndPoint? remote,
        bool isTls, string? clientCertificateSubject, bool overLimit, CancellationToken cancellationToken)
    {
        if ((rq.ProtocolVersion & 1) == 0)
            return Reject(RejectResult.Permanent, RejectSource.ServiceProviderAcse, RejectReasons.ProtocolVersionNotSupported, $"protocol version {rq.ProtocolVersion} not supported");
        if (rq.ApplicationContext != AssociatePdu.DicomApplicationContext)
            return Reject(RejectResult.Permanent, RejectSource.ServiceUser, RejectReasons.ApplicationContextNotSupported, $"application context {rq.ApplicationContext} not supported");
        if (options.AcceptedCalledAeTitles.Count > 0 && !options.AcceptedCalledAeTitles.Contains(rq.CalledAeTitle, StringComparer.Ordinal))
            return Reject(RejectResult.Permanent, RejectSource.ServiceUser, RejectReasons.CalledAeNotRecognized, $"called AE title '{rq.CalledAeTitle}' is not ours");
        if (options.AllowedPeers.Count > 0)
        {
            var address = remote?.Address ?? IPAddress.None;
            if (!options.AllowedPeers.Any(p => p.MatchesAeTitle(rq.CallingAeTitle) && p.MatchesAddress(address)))
                return Reject(RejectResult.Permanent, RejectSource.ServiceUser, RejectReasons.CallingAeNotRecognized, $"calling AE title '{rq.CallingAeTitle}' from {address} is not on the allow-list");
        }
        if (overLimit)
            return Reject(RejectResult.Transient, RejectSource.ServiceProviderPresentation, RejectReasons.LocalLimitExceeded, $"more than {options.MaxAssociations} concurrent associations");

        ReadOnlyMemory<byte> identityResponse = default;
        if (authorizer is not null)
        {
            var decision = await authorizer.AuthorizeAsync(new AssociationRequestInfo(rq.CallingAeTitle, rq.CalledAeTitle, remote,
                rq.UserInformation.UserIdentity, rq, clientCertificateSubject), cancellationToken).ConfigureAwait(false);
            if (!decision.Accepted)
                return Reject(decision.Transient ? RejectResult.Transient : RejectResult.Permanent, RejectSource.ServiceUser, RejectReasons.NoReasonGiven,
                    (decision.Transient ? "refused for now: " : "not authorized: ") + (decision.Reason ?? "authorizer refused"));
            identityResponse = decision.ServerResponse;
        }

        var results = new List<PresentationContextResult>(rq.PresentationContexts.Count);
        var accepted = new Dictionary<byte, AcceptedPresentationContext>();
        foreach (var pc in rq.PresentationContexts)
        {
            if (!AcceptsAbstractSyntax(pc.AbstractSyntax))
            {
                results.Add(new PresentationContextResult(pc.Id, PresentationContextResultCode.AbstractSyntaxNotSupported, pc.TransferSyntaxes.FirstOrDefault() ?? ""));
                continue;
            }
            var ts = options.TransferSyntaxes.FirstOrDefault(pc.TransferSyntaxes.Contains);
            if (ts is null)
            {
                results.Add(new PresentationContextResult(pc.Id, PresentationContextResultCode.TransferSyntaxesNotSupported, pc.TransferSyntaxes.FirstOrDefault() ?? ""));
                continue;
            }
            results.Add(new PresentationContextResult(pc.Id, PresentationContextResultCode.Acceptance, ts));
            accepted[pc.Id] = new AcceptedPresentationContext(pc.Id, pc.AbstractSyntax, ts);
        }

        var acceptedClasses = accepted.Values.Select(a => a.AbstractSyntax).ToHashSet(StringComparer.Ordinal);
        // We act as SCP of what we accepted, so the requestor may be its SCU, never the reverse; except Storage
        // Commitment, where we are the SCU and a PACS sending results takes the SCP role (PS3.4 J.3.3).
        var roles = rq.UserInformation.RoleSelections.Where(r => acceptedClasses.Contains(r.SopClassUid))
            .Select(r => r.SopClassUid == StorageCommitment ? new RoleSelection(r.SopClassUid, false, r.ScpRole) : new RoleSelection(r.SopClassUid, r.ScuRole, false))
            .ToList();
        var local = options.Association.MaxReceivePduLength;
        var identity = rq.UserInformation.UserIdentity;
        var ac = new AssociateAcceptPdu
        {
            CalledAeTitle = rq.CalledAeTitle, CallingAeTitle = rq.CallingAeTitle, PresentationContexts = results,
            UserInformation = new UserInformation
            {
                MaximumLength = local, ImplementationClassUid = DicomImplementation.ClassUid, ImplementationVersionName = DicomImplementation.VersionName,
                AsyncOperations = rq.UserInformation.AsyncOperations is null ? null : new AsyncOperationsWindow(1, 1),
                RoleSelections = roles,
                UserIdentityResponse = identity is { PositiveResponseRequested: true } ? new UserIdentityResponse(identityResponse) : null,
            },
        };
        var info = new AssociationInfo
        {
            Id = associationId, CallingAeTitle = rq.CallingAeTitle, CalledAeTitle = rq.CalledAeTitle, RemoteEndPoint = remote, IsTls = isTls,
            ClientCertificateSubject = clientCertificateSubject, RemoteImplementationClassUid = rq.UserInformation.ImplementationClassUid,
            RemoteImplementationVersionName = rq.UserInformation.ImplementationVersionName, UserIdentity = identity,
            ExtendedNegotiations = rq.UserInformation.ExtendedNegotiations, CommonExtendedNegotiations = rq.UserInformation.CommonExtendedNegotiations,
            PresentationContexts = accepted, RoleSelections = roles, PeerMaxPduLength = rq.UserInformation.MaximumLength, LocalMaxPduLength = local,
            AsyncOperations = ac.UserInformation.AsyncOperations,
        };
        return new NegotiationOutcome(ac, info, null);
    }

    private bool AcceptsAbstractSyntax(string uid)
        => uid == DicomUids.Verification.Uid || (options.AcceptAllStorage && DicomUids.IsUnderStorageArc(uid))
            || _nServices.Contains(uid) || options.AcceptedSopClasses.Contains(uid, StringComparer.Ordinal);

    private static NegotiationOutcome Reject(RejectResult result, RejectSource source, byte reason, string why)
        => new(new AssociateRejectPdu(result, source, reason), null, why);
}
