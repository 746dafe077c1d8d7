namespace Agent.Dicom.Network.Pdu;

/// <summary>PDU type codes of PS3.8 9.3.1.</summary>
public enum PduType : byte
{
    AssociateRequest = 0x01,
    AssociateAccept = 0x02,
    AssociateReject = 0x03,
    DataTransfer = 0x04,
    ReleaseRequest = 0x05,
    ReleaseResponse = 0x06,
    Abort = 0x07,
}

/// <summary>A protocol data unit of the DICOM upper layer (PS3.8 9.3).</summary>
public abstract record DicomPdu
{
    public abstract PduType Type { get; }
}

public sealed record ReleaseRequestPdu : DicomPdu
{
    public override PduType Type => PduType.ReleaseRequest;
}

public sealed record ReleaseResponsePdu : DicomPdu
{
    public override PduType Type => PduType.ReleaseResponse;
}

/// <summary>A-ABORT (PS3.8 9.3.8). Source 0 = service user, 2 = service provider; reason only meaningful for source 2.</summary>
public sealed record AbortPdu(AbortSource Source, AbortReason Reason) : DicomPdu
{
    public override PduType Type => PduType.Abort;
}

public enum AbortSource : byte
{
    ServiceUser = 0,
    Reserved = 1,
    ServiceProvider = 2,
}

public enum AbortReason : byte
{
    NotSpecified = 0,
    UnrecognizedPdu = 1,
    UnexpectedPdu = 2,
    Reserved = 3,
    UnrecognizedPduParameter = 4,
    UnexpectedPduParameter = 5,
    InvalidPduParameterValue = 6,
}

/// <summary>A-ASSOCIATE-RJ (PS3.8 9.3.4).</summary>
public sealed record AssociateRejectPdu(RejectResult Result, RejectSource Source, byte Reason) : DicomPdu
{
    public override PduType Type => PduType.AssociateReject;
}

public enum RejectResult : byte
{
    Permanent = 1,
    Transient = 2,
}

public enum RejectSource : byte
{
    /// <summary>Reasons: 1 no reason, 2 application context not supported, 3 calling AE not recognized, 7 called AE not recognized.</summary>
    ServiceUser = 1,
    /// <summary>ACSE related: 1 no reason, 2 protocol version not supported.</summary>
    ServiceProviderAcse = 2,
    /// <summary>Presentation related: 1 temporary congestion, 2 local limit exceeded.</summary>
    ServiceProviderPresentation = 3,
}

/// <summary>The reasons PS3.8 Table 9-21 defines for each reject source.</summary>
public static class RejectReasons
{
    public const byte NoReasonGiven = 1;
    public const byte ApplicationContextNotSupported = 2;
    public const byte CallingAeNotRecognized = 3;
    public const byte CalledAeNotRecognized = 7;
    public const byte ProtocolVersionNotSupported = 2;
    public const byte TemporaryCongestion = 1;
    public const byte LocalLimitExceeded = 2;
}

/// <summary>One presentation data value: a fragment of a DIMSE command or data set.</summary>
public readonly record struct PresentationDataValue(byte PresentationContextId, bool IsCommand, bool IsLast, ReadOnlyMemory<byte> Data)
{
    public byte MessageControlHeader => (byte)((IsCommand ? 1 : 0) | (IsLast ? 2 : 0));
}

/// <summary>P-DATA-TF (PS3.8 9.3.5). When decoded by <see cref="PduReader"/>, PDV data points into the reader's buffer.</summary>
public sealed record DataTransferPdu(IReadOnlyList<PresentationDataValue> Values) : DicomPdu
{
    public override PduType Type => PduType.DataTransfer;

    public bool Equals(DataTransferPdu? other)
        => other is not null && Values.Count == other.Values.Count && Values.Zip(other.Values).All(p =>
            p.First.PresentationContextId == p.Second.PresentationContextId && p.First.MessageControlHeader == p.Second.MessageControlHeader
            && p.First.Data.Span.SequenceEqual(p.Second.Data.Span));

    public override int GetHashCode() => Values.Count;
}
