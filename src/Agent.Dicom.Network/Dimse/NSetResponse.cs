using Agent.Dicom;

namespace Agent.Dicom.Network.Dimse;

/// <summary>N-SET-RSP (PS3.7 10.1.3): the status, optionally the attributes as the SCP now holds them.</summary>
public sealed class NSetResponse : NResponse
{
    public NSetResponse() { }

    internal NSetResponse(DimseStatus status, string? errorComment, ushort? errorId, string? sopInstanceUid, IReadOnlyList<DicomTag>? offendingElements)
        : base(status, errorComment, errorId, sopInstanceUid, offendingElements) { }

    private NSetResponse(DimseCommand command, DicomDataset? attributeList) : base(command) => AttributeList = attributeList;

    public override CommandField CommandField => CommandField.NSetResponse;
    public DicomDataset? AttributeList { get; init; }
    internal override DicomDataset? DataSet => AttributeList;

    internal static NSetResponse Decode(DimseCommand command, DicomDataset? dataSet) => new(command, dataSet);
}
