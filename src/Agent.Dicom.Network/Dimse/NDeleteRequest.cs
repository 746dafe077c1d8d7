namespace Agent.Dicom.Network.Dimse;

/// <summary>N-DELETE-RQ (PS3.7 10.1.6): asks the SCP to delete an instance.</summary>
public sealed class NDeleteRequest(string sopClassUid, string sopInstanceUid) : NRequest<NDeleteResponse>(sopClassUid, sopInstanceUid)
{
    public override CommandField CommandField => CommandField.NDeleteRequest;

    internal override DimseCommand BuildCommand(ushort messageId) => new()
    {
        CommandField = CommandField, MessageId = messageId, RequestedSopClassUid = SopClassUid, RequestedSopInstanceUid = SopInstanceUid,
        HasDataSet = false,
    };

    internal static NDeleteRequest Decode(DimseCommand command) => new(command.RequestedSopClassUid ?? "", command.RequestedSopInstanceUid ?? "");

    internal override NDeleteResponse ReadResponse(DicomResponse response) => NDeleteResponse.Decode(response.Command);
}
