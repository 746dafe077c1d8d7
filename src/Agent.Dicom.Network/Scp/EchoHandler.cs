using Agent.Dicom.Network.Dimse;
using Agent.Dicom.Network.Services;

namespace Agent.Dicom.Network.Scp;

/// <summary>C-ECHO (Verification SCP, PS3.4 A): the provider's status, or Success when there is none.</summary>
internal sealed class EchoHandler(IEchoProvider? provider) : DimseRequestHandler
{
    public override async ValueTask HandleAsync(ReceivedRequest request, IDataSetReceiver? dataSet, CancellationToken cancellationToken)
    {
        var status = provider is null ? DimseStatus.Success : await provider.OnEchoAsync(request.Association, cancellationToken).ConfigureAwait(false);
        await request.RespondAsync(request.CreateResponse(status), cancellationToken).ConfigureAwait(false);
    }
}
