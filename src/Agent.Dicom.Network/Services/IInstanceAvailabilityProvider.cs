using Agent.Dicom;
using Agent.Dicom.Network.Association;

namespace Agent.Dicom.Network.Services;

/// <summary>An Instance Availability Notification the IAN SCP accepted (N-CREATE, PS3.4 R).</summary>
public sealed record InstanceAvailabilityNotification
{
    public required AssociationInfo Association { get; init; }
    public required string SopInstanceUid { get; init; }

    /// <summary>The attribute list as received.</summary>
    public required DicomDataset Attributes { get; init; }
    public required InstanceAvailabilitySummary Summary { get; init; }
}

/// <summary>
/// Receives Instance Availability Notifications: a PACS (the IHE Image Manager) telling us which instances of which
/// series it now holds. The network library checks the attribute list; the provider decides what it means.
/// </summary>
public interface IInstanceAvailabilityProvider
{
    /// <summary>The notification's status: Success, or a refusal (e.g. <see cref="NServiceResult.DuplicateInstance"/> for one seen before).</summary>
    ValueTask<NServiceResult> OnNotificationAsync(InstanceAvailabilityNotification notification, CancellationToken cancellationToken);
}
