using Agent.Dicom.Network.Dimse;

namespace Agent.Dicom.Network.Services;

/// <summary>
/// A DIMSE-N provider's answer (MPPS, IAN, Storage Commitment reports): the status of the response and, for a refusal,
/// why (Error Comment, and the Error ID some service classes define).
/// </summary>
public readonly record struct NServiceResult(DimseStatus Status, string? ErrorComment = null, ushort? ErrorId = null)
{
    public static NServiceResult Success { get; } = new(DimseStatus.Success);

    /// <summary>0111 Duplicate SOP Instance: an N-CREATE for an instance the provider already has.</summary>
    public static NServiceResult DuplicateInstance(string sopInstanceUid) => new(DimseStatus.DuplicateSopInstance, $"{sopInstanceUid} exists already");

    /// <summary>0213 Resource limitation: the provider cannot take it now (database down, disk full); the sender may retry.</summary>
    public static NServiceResult ResourceLimitation(string why) => new(DimseStatus.ResourceLimitation, why);
}
