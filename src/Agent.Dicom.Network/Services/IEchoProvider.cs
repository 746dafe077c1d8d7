using Agent.Dicom.Network.Association;
using Agent.Dicom.Network.Dimse;

namespace Agent.Dicom.Network.Services;

/// <summary>Answers C-ECHO (Verification SCP). Without one, every C-ECHO succeeds.</summary>
public interface IEchoProvider
{
    ValueTask<DimseStatus> OnEchoAsync(AssociationInfo association, CancellationToken cancellationToken);
}
