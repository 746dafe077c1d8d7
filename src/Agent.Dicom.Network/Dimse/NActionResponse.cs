using Agent.Dicom;

namespace Agent.Dicom.Network.Dimse;

/// <summary>N-ACTION-RSP (PS3.7 10.1.4): the status, the action type performed and its reply, if any.</summary>
public sealed class NActionResponse : NResponse
{
    public NActionResponse() { }

    internal NActionResponse(DimseStatus status, string? errorComment, ushort? errorId, string? sopInstanceUid, IReadOnlyList<DicomTag>? offendingElements)
        : base(status, errorComment, errorId, sopInstanceUid, offendingElements) { }

    private NActionResponse(DimseCommand command, DicomDataset? actionReply) : base(command)
    {
        ActionTypeId = command.ActionTypeId;
        ActionReply = actionReply;
    }

    public override CommandField CommandField => CommandField.NActionResponse;
    public ushort? ActionTypeId { get; init; }
    public DicomDataset? ActionReply { get; init; }
    internal override DicomDataset? DataSet => ActionReply;

    private protected override void WriteFields(DimseCommand command) => command.ActionTypeId = ActionTypeId;

    internal static NActionResponse Decode(DimseCommand command, DicomDataset? dataSet) => new(command, dataSet);
}
