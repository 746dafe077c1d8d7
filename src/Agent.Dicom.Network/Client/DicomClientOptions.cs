using System.Security.Cryptography.X509Certificates;
using Agent.Dicom.Network.Association;
using Agent.Dicom.Network.Pdu;

namespace Agent.Dicom.Network.Client;

/// <summary>Where and as whom an SCU connects.</summary>
public sealed record DicomClientOptions
{
    public required string Host { get; init; }
    public required int Port { get; init; }
    public string CallingAeTitle { get; init; } = "AGENT";
    public string CalledAeTitle { get; init; } = "ANY-SCP";
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);
    public AssociationOptions Association { get; init; } = new();
    public DicomClientTlsOptions? Tls { get; init; }

    /// <summary>User identity sent in the A-ASSOCIATE-RQ (username/passcode, JWT, ...).</summary>
    public UserIdentityRequest? UserIdentity { get; init; }

    /// <summary>Extended negotiation items passed through unchanged in the request.</summary>
    public IReadOnlyList<ExtendedNegotiation> ExtendedNegotiations { get; init; } = [];

    /// <summary>
    /// How long <c>DicomClient.CommitAsync</c> keeps the association open for the Storage Commitment result after the
    /// PACS accepted the request. Many PACS (Orthanc among them) always send it on an association of their own, to our
    /// server; zero releases at once.
    /// </summary>
    public TimeSpan StorageCommitmentReportWait { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>TLS for the SCU (TLS 1.2/1.3 only).</summary>
public sealed record DicomClientTlsOptions
{
    /// <summary>Name checked against the server certificate; defaults to the host.</summary>
    public string? TargetHost { get; init; }
    public X509Certificate2? ClientCertificate { get; init; }
    /// <summary>Extra trust anchors for the server certificate (site CA or a pinned self-signed certificate).</summary>
    public IReadOnlyList<X509Certificate2> TrustedServerCertificates { get; init; } = [];
}

/// <summary>A presentation context to propose: an abstract syntax and the transfer syntaxes offered for it.</summary>
public sealed record PresentationContextRequest(string AbstractSyntax, IReadOnlyList<string> TransferSyntaxes)
{
    /// <summary>For C-GET: propose that we take the SCP role for this (storage) SOP class.</summary>
    public bool ProposeScpRole { get; init; }
}
