using System.Net;
using System.Security.Cryptography.X509Certificates;
using Agent.Dicom;
using Agent.Dicom.Network.Association;

namespace Agent.Dicom.Network.Server;

/// <summary>Configuration of the SCP: listening ports, AE titles, access control, accepted syntaxes and limits.</summary>
public sealed record DicomServerOptions
{
    /// <summary>IPv4 any by default; <see cref="IPAddress.IPv6Any"/> listens dual-stack (IPv6 and IPv4 peers).</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Any;

    /// <summary>Plain TCP port; 0 picks a free port (see <see cref="DicomServer.Port"/>); null disables the plain listener.</summary>
    public int? Port { get; init; } = 104;

    /// <summary>Our AE title, used as the called AE in responses and as source AE in stored files.</summary>
    public string AeTitle { get; init; } = "AGENT";

    /// <summary>Called AE titles accepted; empty accepts any (then <see cref="AeTitle"/> is just informative).</summary>
    public IReadOnlyList<string> AcceptedCalledAeTitles { get; init; } = [];

    /// <summary>Who may connect: calling AE title (or "*") and source network. Empty allows everyone.</summary>
    public IReadOnlyList<AllowedPeer> AllowedPeers { get; init; } = [];

    /// <summary>Concurrent associations; more are rejected with "local limit exceeded" (transient).</summary>
    public int MaxAssociations { get; init; } = 32;

    /// <summary>Accepted abstract syntaxes besides Verification; when <see cref="AcceptAllStorage"/> any storage class is accepted.</summary>
    public IReadOnlyList<string> AcceptedSopClasses { get; init; } = [];

    public bool AcceptAllStorage { get; init; } = true;

    /// <summary>Modality Performed Procedure Step SCP (PS3.4 F): accepted when <c>DicomServices.Mpps</c> is set, unless turned off here.</summary>
    public bool AcceptMpps { get; init; } = true;

    /// <summary>Instance Availability Notification SCP (PS3.4 R): accepted when <c>DicomServices.InstanceAvailability</c> is set, unless turned off here.</summary>
    public bool AcceptInstanceAvailability { get; init; } = true;

    /// <summary>
    /// Storage Commitment Push Model results arriving on associations the PACS opens (PS3.4 J.3.3; we are the SOP
    /// class's SCU, the PACS proposes the SCP role): accepted when <c>DicomServices.StorageCommitmentReports</c> is set,
    /// unless turned off here.
    /// </summary>
    public bool AcceptStorageCommitmentReports { get; init; } = true;

    /// <summary>Transfer syntaxes accepted, in order of preference; the first one the proposer offered wins.</summary>
    public IReadOnlyList<string> TransferSyntaxes { get; init; } = DefaultTransferSyntaxes;

    public AssociationOptions Association { get; init; } = new();

    /// <summary>How long <see cref="DicomServer.StopAsync"/> lets in-flight C-STOREs finish before aborting.</summary>
    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(30);

    public DicomTlsOptions? Tls { get; init; }

    public static IReadOnlyList<string> DefaultTransferSyntaxes { get; } =
    [
        DicomTransferSyntax.ExplicitVRLittleEndian.Uid,
        DicomTransferSyntax.ImplicitVRLittleEndian.Uid,
        DicomTransferSyntax.DeflatedExplicitVRLittleEndian.Uid,
        DicomTransferSyntax.ExplicitVRBigEndian.Uid,
        DicomTransferSyntax.JPEGBaseline.Uid, DicomTransferSyntax.JPEGExtended.Uid, DicomTransferSyntax.JPEGLossless.Uid,
        DicomTransferSyntax.JPEGLosslessSV1.Uid, DicomTransferSyntax.JPEGLSLossless.Uid, DicomTransferSyntax.JPEGLSNearLossless.Uid,
        DicomTransferSyntax.JPEG2000Lossless.Uid, DicomTransferSyntax.JPEG2000.Uid, DicomTransferSyntax.HTJ2KLossless.Uid,
        DicomTransferSyntax.HTJ2K.Uid, DicomTransferSyntax.RLELossless.Uid,
        DicomTransferSyntax.EncapsulatedUncompressedExplicitVRLittleEndian.Uid,
        DicomTransferSyntax.MPEG2.Uid, DicomTransferSyntax.MPEG4.Uid,
    ];
}

/// <summary>TLS listener settings (PS3.15 BCP 195: TLS 1.2 or 1.3 only).</summary>
public sealed record DicomTlsOptions
{
    /// <summary>Port of the TLS listener (beside the plain one); 0 picks a free port.</summary>
    public int Port { get; init; } = 2762;

    public required X509Certificate2 ServerCertificate { get; init; }

    /// <summary>When set, clients must present a certificate that chains to one of <see cref="TrustedClientCertificates"/> (or the system store).</summary>
    public bool RequireClientCertificate { get; init; }

    /// <summary>Extra trust anchors for client certificates (e.g. a site CA or pinned self-signed client certificates).</summary>
    public IReadOnlyList<X509Certificate2> TrustedClientCertificates { get; init; } = [];
}
