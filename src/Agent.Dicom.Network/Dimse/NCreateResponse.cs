using Agent.Dicom;

namespace Agent.Dicom.Network.Dimse;

/// <summary>N-CREATE-RSP (PS3.7 10.1.5): the created instance's UID (the SCP's when it assigned one), optionally its attributes.</summary>
public sealed class NCreateResponse : NResponse
{
    public NCreateResponse() { }

    internal NCreateResponse(DimseStatus status, string? errorComment, ushort? errorId, string? sopInstanceUid, IReadOnlyList<DicomTag>? offendingElements)
        : base(status, errorComment, errorId, sopInstanceUid, offendingElements) { }

    private NCreateResponse(DimseCommand command, DicomDataset? attributeList) : base(command) => AttributeList = attributeList;

    public override CommandField CommandField => CommandField.NCreateResponse;
    public DicomDataset? AttributeList { get; init; }
    internal override DicomDataset? DataSet => AttributeList;

    internal static NCreateResponse Decode(DimseCommand command, DicomDataset? dataSet) => new(command, dataSet);
}
