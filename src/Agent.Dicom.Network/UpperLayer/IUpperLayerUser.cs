using Agent.Dicom.Network.Association;
using Agent.Dicom.Network.Pdu;

namespace Agent.Dicom.Network.UpperLayer;

/// <summary>
/// The user of an association's P-DATA service (PS3.8 7.6): the DIMSE layer. The upper layer hands it the
/// presentation data values of each P-DATA-TF in order, and tells it when the association ends.
/// </summary>
internal interface IUpperLayerUser
{
    /// <summary>True while a DIMSE message is partly received (graceful shutdown waits for it).</summary>
    bool IsMidMessage { get; }

    /// <summary>
    /// P-DATA indication: one PDV on an accepted presentation context. Its data is valid only during the call (it
    /// points into the PDU reader's buffer). A <see cref="Agent.Dicom.DicomFormatException"/> aborts the association.
    /// </summary>
    ValueTask OnPDataAsync(PresentationDataValue value, AcceptedPresentationContext context, CancellationToken cancellationToken);

    /// <summary>The association is gone (released, aborted, lost): whatever waits for the peer fails with <paramref name="reason"/>.</summary>
    void OnClosed(Exception reason);

    /// <summary>Drops a partly received message (e.g. discards a half-written instance) when the association ends.</summary>
    ValueTask DiscardPartialMessageAsync();
}
