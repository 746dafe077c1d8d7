using Agent.Dicom.Network.Association;

namespace Agent.Dicom.Network.Dimse;

public sealed class CEchoRequest : DicomRequest
{
    public override CommandField CommandField => CommandField.CEchoRequest;
    public override string SopClassUid => DicomUids.Verification.Uid;

    internal override DimseCommand BuildCommand(ushort messageId) => new()
    {
        CommandField = CommandField.CEchoRequest, MessageId = messageId, AffectedSopClassUid = SopClassUid, HasDataSet = false,
    };
}
