using Agent.Dicom.Network.Pdu;

namespace Agent.Dicom.Network;

/// <summary>An association could not be established or was lost; the message says why.</summary>
public class DicomNetworkException : Exception
{
    public DicomNetworkException() { }
    public DicomNetworkException(string message) : base(message) { }
    public DicomNetworkException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The peer answered A-ASSOCIATE-RQ with A-ASSOCIATE-RJ.</summary>
public sealed class DicomAssociationRejectedException(AssociateRejectPdu reject)
    : DicomNetworkException($"association rejected: result {reject.Result}, source {reject.Source}, reason {reject.Reason} ({Describe(reject)})")
{
    public AssociateRejectPdu Reject { get; } = reject;

    private static string Describe(AssociateRejectPdu r) => (r.Source, r.Reason) switch
    {
        (RejectSource.ServiceUser, 1) => "no reason given",
        (RejectSource.ServiceUser, 2) => "application context name not supported",
        (RejectSource.ServiceUser, 3) => "calling AE title not recognized",
        (RejectSource.ServiceUser, 7) => "called AE title not recognized",
        (RejectSource.ServiceProviderAcse, 2) => "protocol version not supported",
        (RejectSource.ServiceProviderPresentation, 1) => "temporary congestion",
        (RejectSource.ServiceProviderPresentation, 2) => "local limit exceeded",
        _ => "no reason given",
    };
}

/// <summary>The association ended by A-ABORT or a lost connection while an operation was outstanding.</summary>
public sealed class DicomAssociationAbortedException(string message) : DicomNetworkException(message);
