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

    private protected NResponse() { }

    /// <summary>A response an SCP builds from its service's result, naming the instance and the offending elements.</summary>
    private protected NResponse(DimseStatus status, string? errorComment, ushort? errorId, string? sopInstanceUid, IReadOnlyList<DicomTag>? offendingElements)
    {
        Status = status;
        ErrorComment = errorComment;
        ErrorId = errorId;
        AffectedSopInstanceUid = sopInstanceUid;
        OffendingElements = offendingElements ?? [];
    }

    /// <summary>Reads the fields every N response has from a received command.</summary>
    private protected NResponse(DimseCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
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
