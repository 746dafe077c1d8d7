namespace Agent.Dicom.Network.Pdu;

/// <summary>
/// The common content of A-ASSOCIATE-RQ and -AC (PS3.8 9.3.2, 9.3.3): AE titles, application context, presentation
/// contexts and user information. The AC echoes the AE titles of the RQ.
/// </summary>
public abstract record AssociatePdu : DicomPdu
{
    public const string DicomApplicationContext = "1.2.840.10008.3.1.1.1";

    public ushort ProtocolVersion { get; init; } = 1;
    public required string CalledAeTitle { get; init; }
    public required string CallingAeTitle { get; init; }
    public string ApplicationContext { get; init; } = DicomApplicationContext;
    public UserInformation UserInformation { get; init; } = new();

    protected bool BaseEquals(AssociatePdu other)
        => ProtocolVersion == other.ProtocolVersion && CalledAeTitle == other.CalledAeTitle && CallingAeTitle == other.CallingAeTitle
           && ApplicationContext == other.ApplicationContext && UserInformation.Equals(other.UserInformation);
}

public sealed record AssociateRequestPdu : AssociatePdu
{
    public override PduType Type => PduType.AssociateRequest;
    public IReadOnlyList<PresentationContextProposal> PresentationContexts { get; init; } = [];

    public bool Equals(AssociateRequestPdu? other)
        => other is not null && BaseEquals(other) && PresentationContexts.SequenceEqual(other.PresentationContexts);

    public override int GetHashCode() => HashCode.Combine(CalledAeTitle, CallingAeTitle, PresentationContexts.Count);
}

public sealed record AssociateAcceptPdu : AssociatePdu
{
    public override PduType Type => PduType.AssociateAccept;
    public IReadOnlyList<PresentationContextResult> PresentationContexts { get; init; } = [];

    public bool Equals(AssociateAcceptPdu? other)
        => other is not null && BaseEquals(other) && PresentationContexts.SequenceEqual(other.PresentationContexts);

    public override int GetHashCode() => HashCode.Combine(CalledAeTitle, CallingAeTitle, PresentationContexts.Count);
}

/// <summary>A proposed presentation context (item 0x20): one abstract syntax and the transfer syntaxes offered for it.</summary>
public sealed record PresentationContextProposal(byte Id, string AbstractSyntax, IReadOnlyList<string> TransferSyntaxes)
{
    public bool Equals(PresentationContextProposal? other)
        => other is not null && Id == other.Id && AbstractSyntax == other.AbstractSyntax && TransferSyntaxes.SequenceEqual(other.TransferSyntaxes);

    public override int GetHashCode() => HashCode.Combine(Id, AbstractSyntax);
}

/// <summary>Result codes of a presentation context (PS3.8 Table 9-18).</summary>
public enum PresentationContextResultCode : byte
{
    Acceptance = 0,
    UserRejection = 1,
    NoReason = 2,
    AbstractSyntaxNotSupported = 3,
    TransferSyntaxesNotSupported = 4,
}

/// <summary>The answer to one proposed context (item 0x21), with the single transfer syntax chosen when accepted.</summary>
public sealed record PresentationContextResult(byte Id, PresentationContextResultCode Result, string TransferSyntax);
