using Agent.Dicom;

namespace Agent.Dicom.Network.Dimse;

/// <summary>N-DELETE-RSP (PS3.7 10.1.6): the status of the deletion.</summary>
public sealed class NDeleteResponse : NResponse
{
    public NDeleteResponse() { }

    internal NDeleteResponse(DimseStatus status, string? errorComment, ushort? errorId, string? sopInstanceUid, IReadOnlyList<DicomTag>? offendingElements)
        : base(status, errorComment, errorId, sopInstanceUid, offendingElements) { }

    private NDeleteResponse(DimseCommand command) : base(command) { }

    public override CommandField CommandField => CommandField.NDeleteResponse;

    internal static NDeleteResponse Decode(DimseCommand command) => new(command);
}
