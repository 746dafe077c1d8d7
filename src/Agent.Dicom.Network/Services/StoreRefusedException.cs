using Agent.Dicom.Network.Dimse;

namespace Agent.Dicom.Network.Services;

/// <summary>Thrown by a store provider to refuse an instance with a specific DIMSE status (e.g. A700, A900).</summary>
public sealed class StoreRefusedException(DimseStatus status, string message) : Exception(message)
{
    public DimseStatus Status { get; } = status;
}
