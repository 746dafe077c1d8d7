using Agent.Dicom;

namespace Agent.Dicom.Network.Dimse;

/// <summary>
/// N-EVENT-REPORT-RQ (PS3.7 10.1.1): the performer of a SOP class tells the other side an event (by type id) happened to
/// an instance, with its information, e.g. a Storage Commitment result. Sent by whichever side is the SOP class's SCP.
/// </summary>
public sealed class NEventReportRequest(string sopClassUid, string sopInstanceUid, ushort eventTypeId, DicomDataset? eventInformation)
    : NRequest<NEventReportResponse>(sopClassUid, sopInstanceUid)
{
    public override CommandField CommandField => CommandField.NEventReportRequest;
    public ushort EventTypeId { get; } = eventTypeId;
    public DicomDataset? EventInformation { get; } = eventInformation;
    internal override DicomDataset? DataSet => EventInformation;

    internal override DimseCommand BuildCommand(ushort messageId) => new()
    {
        CommandField = CommandField, MessageId = messageId, AffectedSopClassUid = SopClassUid, AffectedSopInstanceUid = SopInstanceUid,
        EventTypeId = EventTypeId, HasDataSet = EventInformation is not null,
    };

    internal static NEventReportRequest Decode(DimseCommand command, DicomDataset? dataSet)
        => new(command.AffectedSopClassUid ?? "", command.AffectedSopInstanceUid ?? "", command.EventTypeId ?? 0, dataSet);

    internal override NEventReportResponse ReadResponse(DicomResponse response) => NEventReportResponse.Decode(response.Command, response.Identifier);
}
