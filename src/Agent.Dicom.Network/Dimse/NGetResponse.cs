using Agent.Dicom;

namespace Agent.Dicom.Network.Dimse;

/// <summary>N-GET-RSP (PS3.7 10.1.2): the attributes asked for.</summary>
public sealed class NGetResponse : NResponse
{
    public NGetResponse() { }

    internal NGetResponse(DimseStatus status, string? errorComment, ushort? errorId, string? sopInstanceUid, IReadOnlyList<DicomTag>? offendingElements)
        : base(status, errorComment, errorId, sopInstanceUid, offendingElements) { }

    private NGetResponse(DimseCommand command, DicomDataset? attributeList) : base(command) => AttributeList = attributeList;

    public override CommandField CommandField => CommandField.NGetResponse;
    public DicomDataset? AttributeList { get; init; }
    internal override DicomDataset? DataSet => AttributeList;

    internal static NGetResponse Decode(DimseCommand command, DicomDataset? dataSet) => new(command, dataSet);
}
