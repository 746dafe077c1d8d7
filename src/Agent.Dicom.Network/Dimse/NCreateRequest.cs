using Agent.Dicom;

namespace Agent.Dicom.Network.Dimse;

/// <summary>
/// N-CREATE-RQ (PS3.7 10.1.5): creates an instance with its initial attributes. The SCU may leave the instance UID to
/// the SCP, which then returns the one it assigned in the response.
/// </summary>
public sealed class NCreateRequest(string sopClassUid, string? sopInstanceUid, DicomDataset? attributeList)
    : NRequest<NCreateResponse>(sopClassUid, sopInstanceUid, instanceRequired: false)
{
    public override CommandField CommandField => CommandField.NCreateRequest;
    public DicomDataset? AttributeList { get; } = attributeList;
    internal override DicomDataset? DataSet => AttributeList;

    internal override DimseCommand BuildCommand(ushort messageId) => new()
    {
        CommandField = CommandField, MessageId = messageId, AffectedSopClassUid = SopClassUid, AffectedSopInstanceUid = SopInstanceUid,
        HasDataSet = AttributeList is not null,
    };

    /// <summary>A received request: Affected SOP Class UID (checked by the caller), optional instance, attribute list.</summary>
    internal static NCreateRequest Decode(DimseCommand command, DicomDataset? dataSet)
        => new(command.AffectedSopClassUid ?? "", command.AffectedSopInstanceUid, dataSet);

    internal override NCreateResponse ReadResponse(DicomResponse response) => NCreateResponse.Decode(response.Command, response.Identifier);
}
