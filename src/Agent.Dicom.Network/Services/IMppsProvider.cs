using Agent.Dicom;
using Agent.Dicom.Network.Association;
using Agent.Dicom.Network.Dimse;

namespace Agent.Dicom.Network.Services;

/// <summary>An N-CREATE of a step the MPPS SCP accepted (attribute list valid, status IN PROGRESS, instance new).</summary>
public sealed record MppsCreate
{
    public required AssociationInfo Association { get; init; }
    public required string SopInstanceUid { get; init; }

    /// <summary>The attribute list as received: what <see cref="IMppsProvider.FindAsync"/> returns afterwards.</summary>
    public required DicomDataset Attributes { get; init; }
    public required MppsSummary Summary { get; init; }
}

/// <summary>An N-SET the MPPS SCP accepted (the step was IN PROGRESS; a final state meets its requirements).</summary>
public sealed record MppsUpdate
{
    public required AssociationInfo Association { get; init; }
    public required string SopInstanceUid { get; init; }

    /// <summary>The modification list as received.</summary>
    public required DicomDataset Modifications { get; init; }

    /// <summary>The stored attributes with the modifications applied: what <see cref="IMppsProvider.FindAsync"/> returns afterwards.</summary>
    public required DicomDataset Attributes { get; init; }

    /// <summary>The status the stored step had when the N-SET was checked (always IN PROGRESS).</summary>
    public required PerformedProcedureStepStatus PreviousStatus { get; init; }
    public required MppsSummary Summary { get; init; }
}

/// <summary>
/// Keeps Modality Performed Procedure Steps for the MPPS SCP (PS3.4 F). The network library checks each request
/// (attributes, status transitions, final state) against what <see cref="FindAsync"/> returns and keeps nothing itself,
/// so steps survive restarts and several processes can share one store.
/// </summary>
public interface IMppsProvider
{
    /// <summary>The attributes stored for a step, or null when there is no step with that SOP Instance UID.</summary>
    ValueTask<DicomDataset?> FindAsync(string sopInstanceUid, CancellationToken cancellationToken);

    /// <summary>Stores a new step; a store that finds the instance already there answers <see cref="NServiceResult.DuplicateInstance"/>.</summary>
    ValueTask<NServiceResult> CreateAsync(MppsCreate create, CancellationToken cancellationToken);

    /// <summary>
    /// Stores an update. Another association may have finished the same step since it was checked: a store shared by
    /// several processes writes only while the stored status is still <see cref="MppsUpdate.PreviousStatus"/>, and
    /// otherwise answers <see cref="MppsResults.MayNoLongerBeUpdated"/>.
    /// </summary>
    ValueTask<NServiceResult> UpdateAsync(MppsUpdate update, CancellationToken cancellationToken);
}

/// <summary>The MPPS-specific answers of PS3.4 F.7.2.2.</summary>
public static class MppsResults
{
    /// <summary>0110 with the specific Error Comment and Error ID A710: an N-SET of a step already COMPLETED or DISCONTINUED.</summary>
    public static NServiceResult MayNoLongerBeUpdated { get; } = new(DimseStatus.ProcessingFailure, "Performed Procedure Step Object may no longer be updated", 0xA710);
}
