using Agent.Dicom.Network.Association;
using Agent.Dicom.Network.Dimse;

namespace Agent.Dicom.Network.Scp;

/// <summary>A DIMSE request as an SCP handler sees it: its command, the presentation context it came on, and how to answer.</summary>
internal sealed class ReceivedRequest(DimseService service, DimseCommand command, AcceptedPresentationContext context)
{
    public DimseCommand Command { get; } = command;
    public AcceptedPresentationContext Context { get; } = context;
    public AssociationInfo Association => service.Association;

    /// <summary>The response command: the request's field with the response bit, its message id, its SOP class.</summary>
    public DimseCommand CreateResponse(DimseStatus status) => new()
    {
        CommandField = (CommandField)((ushort)Command.CommandField | 0x8000),
        MessageIdBeingRespondedTo = Command.MessageId,
        AffectedSopClassUid = Command.AffectedSopClassUid ?? Context.AbstractSyntax,
        Status = status,
    };

    /// <summary>Sends a response (one of several for C-FIND/C-MOVE/C-GET: pending ones, then the final one).</summary>
    public ValueTask RespondAsync(DimseCommand response, CancellationToken cancellationToken, DicomDataset? dataSet = null)
        => service.SendAsync(Context, response, dataSet, cancellationToken);
}
