using Agent.Dicom;

namespace Agent.Dicom.Network.Dimse;

/// <summary>N-SET-RQ (PS3.7 10.1.3): new values for attributes of an existing instance (the modification list).</summary>
public sealed class NSetRequest(string sopClassUid, string sopInstanceUid, DicomDataset modificationList)
    : NRequest<NSetResponse>(sopClassUid, sopInstanceUid)
{
    public override CommandField CommandField => CommandField.NSetRequest;
    public DicomDataset ModificationList { get; } = modificationList ?? throw new ArgumentNullException(nameof(modificationList));
    internal override DicomDataset? DataSet => ModificationList;

    internal override DimseCommand BuildCommand(ushort messageId) => new()
    {
        CommandField = CommandField, MessageId = messageId, RequestedSopClassUid = SopClassUid, RequestedSopInstanceUid = SopInstanceUid,
        HasDataSet = true,
    };

    /// <summary>A received request; a missing modification list reads as an empty one (nothing to change).</summary>
    internal static NSetRequest Decode(DimseCommand command, DicomDataset? dataSet)
        => new(command.RequestedSopClassUid ?? "", command.RequestedSopInstanceUid ?? "", dataSet ?? new DicomDataset());

    internal override NSetResponse ReadResponse(DicomResponse response) => NSetResponse.Decode(response.Command, response.Identifier);
}
