using Agent.Dicom;

namespace Agent.Dicom.Network.Dimse;

/// <summary>N-ACTION-RQ (PS3.7 10.1.4): asks the SCP to perform an action (by type id) on an instance, with its arguments.</summary>
public sealed class NActionRequest(string sopClassUid, string sopInstanceUid, ushort actionTypeId, DicomDataset? actionInformation)
    : NRequest<NActionResponse>(sopClassUid, sopInstanceUid)
{
    public override CommandField CommandField => CommandField.NActionRequest;
    public ushort ActionTypeId { get; } = actionTypeId;
    public DicomDataset? ActionInformation { get; } = actionInformation;
    internal override DicomDataset? DataSet => ActionInformation;

    internal override DimseCommand BuildCommand(ushort messageId) => new()
    {
        CommandField = CommandField, MessageId = messageId, RequestedSopClassUid = SopClassUid, RequestedSopInstanceUid = SopInstanceUid,
        ActionTypeId = ActionTypeId, HasDataSet = ActionInformation is not null,
    };

    internal static NActionRequest Decode(DimseCommand command, DicomDataset? dataSet)
        => new(command.RequestedSopClassUid ?? "", command.RequestedSopInstanceUid ?? "", command.ActionTypeId ?? 0, dataSet);

    internal override NActionResponse ReadResponse(DicomResponse response) => NActionResponse.Decode(response.Command, response.Identifier);
}
