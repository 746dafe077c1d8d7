using Agent.Dicom;

namespace Agent.Dicom.Network.Dimse;

/// <summary>One response to a request: pending ones (C-FIND matches, C-MOVE/C-GET progress) and the final one.</summary>
public sealed class DicomResponse(DimseCommand command, DicomDataset? identifier)
{
    public DimseCommand Command { get; } = command;
    public DimseStatus Status => Command.Status;
    public CommandField CommandField => Command.CommandField;

    /// <summary>
    /// The response's data set: the match of a pending C-FIND response, the failed SOP instance list of a C-MOVE/C-GET,
    /// or what a DIMSE-N response carries (read it typed through <see cref="NRequest{TResponse}"/>'s response).
    /// </summary>
    public DicomDataset? Identifier { get; } = identifier;
    public string? ErrorComment => Command.ErrorComment;
    public ushort? Remaining => Command.Remaining;
    public ushort? Completed => Command.Completed;
    public ushort? Failed => Command.Failed;
    public ushort? Warning => Command.Warning;

    public override string ToString() => Command.ToString();
}
