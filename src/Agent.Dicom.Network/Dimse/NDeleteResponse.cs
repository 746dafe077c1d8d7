using Agent.Dicom;

namespace Agent.Dicom.Network.Dimse;

/// <summary>N-DELETE-RSP (PS3.7 10.1.6): the status of the deletion.</summary>
public sealed class NDeleteResponse : NResponse
{
    public NDeleteResponse() { }

    internal NDeleteResponse(Services.NServiceResult result, string? sopInstanceUid, IReadOnlyList<DicomTag>? offendingElements)
        : base(result, sopInstanceUid, offendingElements) { }

    private NDeleteResponse(DimseCommand command) : base(command) { }

    public override CommandField CommandField => CommandField.NDeleteResponse;

    internal static NDeleteResponse Decode(DimseCommand command) => new(command);
}
