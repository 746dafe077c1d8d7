using System.Collections.Concurrent;
using Agent.Dicom;
using Agent.Dicom.Network.Services;

namespace Agent.Dicom.Network.Tests;

/// <summary>An MPPS store in memory that records every call, with the compare-and-set a shared store needs.</summary>
internal sealed class MemoryMppsProvider : IMppsProvider
{
    private readonly ConcurrentDictionary<string, DicomDataset> _steps = new();
    private readonly List<MppsCreate> _created = [];
    private readonly List<MppsUpdate> _updated = [];

    /// <summary>Thrown from every call when set: a store that is down.</summary>
    public Exception? Failure { get; set; }

    public IReadOnlyList<MppsCreate> Created { get { lock (_created) return [.. _created]; } }
    public IReadOnlyList<MppsUpdate> Updated { get { lock (_updated) return [.. _updated]; } }

    public DicomDataset? Stored(string uid) => _steps.TryGetValue(uid, out var ds) ? ds : null;

    public ValueTask<DicomDataset?> FindAsync(string sopInstanceUid, CancellationToken cancellationToken)
    {
        if (Failure is { } f) throw f;
        return ValueTask.FromResult(Stored(sopInstanceUid));
    }

    public ValueTask<NServiceResult> CreateAsync(MppsCreate create, CancellationToken cancellationToken)
    {
        if (Failure is { } f) throw f;
        if (!_steps.TryAdd(create.SopInstanceUid, create.Attributes)) return ValueTask.FromResult(NServiceResult.DuplicateInstance(create.SopInstanceUid));
        lock (_created) _created.Add(create);
        return ValueTask.FromResult(NServiceResult.Success);
    }

    public ValueTask<NServiceResult> UpdateAsync(MppsUpdate update, CancellationToken cancellationToken)
    {
        if (Failure is { } f) throw f;
        var current = _steps[update.SopInstanceUid];
        if (current.GetString(DicomTags.PerformedProcedureStepStatus) != update.PreviousStatus.ToCode()
            || !_steps.TryUpdate(update.SopInstanceUid, update.Attributes, current))
            return ValueTask.FromResult(MppsResults.MayNoLongerBeUpdated);
        lock (_updated) _updated.Add(update);
        return ValueTask.FromResult(NServiceResult.Success);
    }
}

/// <summary>Records notifications; answers what <see cref="Answer"/> says (Success by default).</summary>
internal sealed class RecordingIanProvider : IInstanceAvailabilityProvider
{
    private readonly List<InstanceAvailabilityNotification> _received = [];

    public Func<InstanceAvailabilityNotification, NServiceResult> Answer { get; set; } = _ => NServiceResult.Success;

    public IReadOnlyList<InstanceAvailabilityNotification> Received { get { lock (_received) return [.. _received]; } }

    public ValueTask<NServiceResult> OnNotificationAsync(InstanceAvailabilityNotification notification, CancellationToken cancellationToken)
    {
        lock (_received) _received.Add(notification);
        return ValueTask.FromResult(Answer(notification));
    }
}

/// <summary>Records Storage Commitment results and lets a test wait for the one of a transaction.</summary>
internal sealed class RecordingCommitmentReports : IStorageCommitmentReportProvider
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StorageCommitmentReport>> _reports = new();

    public Func<StorageCommitmentReport, NServiceResult> Answer { get; set; } = _ => NServiceResult.Success;

    private TaskCompletionSource<StorageCommitmentReport> Slot(string transactionUid)
        => _reports.GetOrAdd(transactionUid, _ => new TaskCompletionSource<StorageCommitmentReport>(TaskCreationOptions.RunContinuationsAsynchronously));

    public bool Has(string transactionUid) => _reports.TryGetValue(transactionUid, out var slot) && slot.Task.IsCompleted;

    /// <summary>The result of a transaction once it arrives; a generous deadline, so a loaded machine does not fail the test.</summary>
    public Task<StorageCommitmentReport> WaitForAsync(string transactionUid) => Slot(transactionUid).Task.WaitAsync(TimeSpan.FromSeconds(60));

    public ValueTask<NServiceResult> OnReportAsync(StorageCommitmentReport report, CancellationToken cancellationToken)
    {
        var answer = Answer(report);
        if (answer.Status.IsSuccess) Slot(report.TransactionUid).TrySetResult(report);
        return ValueTask.FromResult(answer);
    }
}
