using Agent.Dicom;

namespace Agent.Dicom.Network.Dimse;

/// <summary>
/// A DIMSE-N response (PS3.7 10.1): the status with its Annex C fields, the instance it is about, and the data set the
/// operation returns (attribute list, action or event reply). SCPs build one; SCUs get one from their request.
/// </summary>
public abstract class NResponse
{
    /// <summary>Error Comment is LO (PS3.7 C.5): longer text is cut, never sent over the limit.</summary>
    private const int MaxErrorCommentLength = 64;

    protected NResponse() { }

    /// <summary>A response carrying a provider's result (the SCP side), naming the instance and the offending elements.</summary>
    private protected NResponse(Services.NServiceResult result, string? sopInstanceUid, IReadOnlyList<DicomTag>? offendingElements)
    {
        Status = result.Status;
        ErrorComment = result.ErrorComment;
        ErrorId = result.ErrorId;
        AffectedSopInstanceUid = sopInstanceUid;
        OffendingElements = offendingElements ?? [];
    }

    /// <summary>The response type that answers <paramref name="requestField"/>, carrying <paramref name="result"/>.</summary>
    internal static NResponse ForRequest(CommandField requestField, Services.NServiceResult result, string? sopInstanceUid = null,
        IReadOnlyList<DicomTag>? offendingElements = null) => requestField switch
    {
        CommandField.NCreateRequest => new NCreateResponse(result, sopInstanceUid, offendingElements),
        CommandField.NSetRequest => new NSetResponse(result, sopInstanceUid, offendingElements),
        CommandField.NGetRequest => new NGetResponse(result, sopInstanceUid, offendingElements),
        CommandField.NActionRequest => new NActionResponse(result, sopInstanceUid, offendingElements),
        CommandField.NEventReportRequest => new NEventReportResponse(result, sopInstanceUid, offendingElements),
        CommandField.NDeleteRequest => new NDeleteResponse(result, sopInstanceUid, offendingElements),
        _ => throw new ArgumentOutOfRangeException(nameof(requestField), requestField, "not a DIMSE-N request"),
    };

    /// <summary>Reads the fields every N response has from a received command.</summary>
    protected NResponse(DimseCommand command)
    {
        Status = command.Status;
        ErrorComment = command.ErrorComment;
        ErrorId = command.ErrorId;
        OffendingElements = command.OffendingElements;
        AttributeIdentifierList = command.AttributeIdentifierList;
        AffectedSopClassUid = command.AffectedSopClassUid;
        AffectedSopInstanceUid = command.AffectedSopInstanceUid;
    }

    public abstract CommandField CommandField { get; }
    public DimseStatus Status { get; init; } = DimseStatus.Success;
    public string? ErrorComment { get; init; }
    public ushort? ErrorId { get; init; }
    public IReadOnlyList<DicomTag> OffendingElements { get; init; } = [];

    /// <summary>(0000,1005): with warning 0107, the attributes that were not recognized.</summary>
    public IReadOnlyList<DicomTag> AttributeIdentifierList { get; init; } = [];

    public string? AffectedSopClassUid { get; init; }
    public string? AffectedSopInstanceUid { get; init; }

    /// <summary>The data set sent after the response command, if any.</summary>
    internal virtual DicomDataset? DataSet => null;

    /// <summary>The response command answering message <paramref name="messageIdBeingRespondedTo"/>.</summary>
    internal DimseCommand BuildCommand(ushort messageIdBeingRespondedTo)
    {
        var command = new DimseCommand
        {
            CommandField = CommandField, MessageIdBeingRespondedTo = messageIdBeingRespondedTo, Status = Status,
            AffectedSopClassUid = AffectedSopClassUid, AffectedSopInstanceUid = AffectedSopInstanceUid, ErrorId = ErrorId,
            ErrorComment = ErrorComment is { Length: > MaxErrorCommentLength } c ? c[..MaxErrorCommentLength] : ErrorComment,
            OffendingElements = OffendingElements, AttributeIdentifierList = AttributeIdentifierList, HasDataSet = DataSet is not null,
        };
        WriteFields(command);
        return command;
    }

    /// <summary>The fields of one response type beyond the common ones (event or action type).</summary>
    private protected virtual void WriteFields(DimseCommand command) { }

    public override string ToString() => $"{CommandField} {Status}{(ErrorComment is null ? "" : " " + ErrorComment)}";
}
