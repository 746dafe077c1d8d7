using Agent.Dicom;

namespace Agent.Dicom.Network.Dimse;

/// <summary>N-GET-RQ (PS3.7 10.1.2): asks for attributes of an instance; an empty list asks for all of them.</summary>
public sealed class NGetRequest(string sopClassUid, string sopInstanceUid, IReadOnlyList<DicomTag>? attributeIdentifiers = null)
    : NRequest<NGetResponse>(sopClassUid, sopInstanceUid)
{
    public override CommandField CommandField => CommandField.NGetRequest;
    public IReadOnlyList<DicomTag> AttributeIdentifiers { get; } = attributeIdentifiers ?? [];

    internal override DimseCommand BuildCommand(ushort messageId) => new()
    {
        CommandField = CommandField, MessageId = messageId, RequestedSopClassUid = SopClassUid, RequestedSopInstanceUid = SopInstanceUid,
        AttributeIdentifierList = AttributeIdentifiers, HasDataSet = false,
    };

    internal static NGetRequest Decode(DimseCommand command)
        => new(command.RequestedSopClassUid ?? "", command.RequestedSopInstanceUid ?? "", command.AttributeIdentifierList);

    internal override NGetResponse ReadResponse(DicomResponse response) => NGetResponse.Decode(response.Command, response.Identifier);
}
