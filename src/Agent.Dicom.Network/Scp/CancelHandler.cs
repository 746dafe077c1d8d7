using Agent.Dicom.Network.Dimse;

namespace Agent.Dicom.Network.Scp;

/// <summary>
/// C-CANCEL has no response (PS3.7 C-FIND/C-MOVE/C-GET cancel). Nothing is cancellable here yet: every request is answered before the
/// next PDU is read, so a C-CANCEL always comes after its request finished. A C-FIND/C-MOVE SCP changes that.
/// </summary>
internal sealed class CancelHandler : DimseRequestHandler
{
    public override ValueTask HandleAsync(ReceivedRequest request, IDataSetReceiver? dataSet, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
