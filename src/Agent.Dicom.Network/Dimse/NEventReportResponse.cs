using Agent.Dicom;

namespace Agent.Dicom.Network.Dimse;

/// <summary>N-EVENT-REPORT-RSP (PS3.7 10.1.1): the receiver's status for the report, the event type and its reply, if any.</summary>
public sealed class NEventReportResponse : NResponse
{
    public NEventReportResponse() { }

    internal NEventReportResponse(DimseStatus status, string? errorComment, ushort? errorId, string? sopInstanceUid, IReadOnlyList<DicomTag>? offendingElements)
        : base(status, errorComment, errorId, sopInstanceUid, offendingElements) { }

    private NEventReportResponse(DimseCommand command, DicomDataset? eventReply) : base(command)
    {
        EventTypeId = command.EventTypeId;
        EventReply = eventReply;
    }

    public override CommandField CommandField => CommandField.NEventReportResponse;
    public ushort? EventTypeId { get; init; }
    public DicomDataset? EventReply { get; init; }
    internal override DicomDataset? DataSet => EventReply;

    private protected override void WriteFields(DimseCommand command) => command.EventTypeId = EventTypeId;

    internal static NEventReportResponse Decode(DimseCommand command, DicomDataset? dataSet) => new(command, dataSet);
}
