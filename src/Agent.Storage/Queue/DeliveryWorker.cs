using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Agent.Storage.Queue;

/// <summary>What a sender reports for one delivery attempt.</summary>
/// <param name="Succeeded">The destination stored the object (DIMSE success or warning).</param>
/// <param name="DimseStatus">The C-STORE response status, when the peer answered.</param>
/// <param name="Error">Why it failed (null on success).</param>
/// <param name="Permanent">Retrying cannot help (e.g. SOP class not supported by the destination).</param>
public sealed record DeliveryOutcome(bool Succeeded, int? DimseStatus, string? Error, bool Permanent = false);

/// <summary>
/// The outcome of one item of a <see cref="DeliveryBatch"/>, or (<see cref="Item"/> null, see <see cref="ForRest"/>) of
/// every item not reported yet, e.g. when the association could not be opened: those fail with one backoff for all.
/// </summary>
public sealed record DeliveryResult(DeliveryLease? Item, DeliveryOutcome Outcome)
{
    /// <summary>Ends the batch: every item not reported yet gets <paramref name="outcome"/> (a failure).</summary>
    public static DeliveryResult ForRest(DeliveryOutcome outcome) => new(null, outcome);
}

/// <summary>
/// One sender loop over the <see cref="DeliveryOutbox"/>; the same behaviour as <see cref="JobWorker"/> (notify/poll,
/// heartbeat, release on stop, result discarded when the lease was lost), but it leases a batch of up to
/// <see cref="JobWorkerOptions.BatchSize"/> deliveries of one destination at a time. <see cref="JobWorkerOptions.Kinds"/>
/// selects destinations here.
/// </summary>
/// <remarks>
/// Sender contract: yield one <see cref="DeliveryResult"/> per item as soon as the destination answered for it; each is
/// recorded at once (so a crash mid-batch re-sends only what was not acknowledged). To fail all items not reported yet
/// (destination unreachable, association broken) yield <see cref="DeliveryResult.ForRest"/>: they are retried with one
/// backoff for all, hence together again. An exception, or items never reported, fail the rest likewise.
/// </remarks>
public sealed partial class DeliveryWorker
{
    private readonly LeaseLoop<DeliveryBatch, DeliveryOutcome?> _loop;

    public DeliveryWorker(
        NpgsqlDataSource dataSource, JobWorkerOptions options, Func<DeliveryBatch, CancellationToken, IAsyncEnumerable<DeliveryResult>> sender,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.LeaseDuration, TimeSpan.Zero);
        var log = logger ?? NullLogger.Instance;
        var outbox = new DeliveryOutbox(dataSource);
        var ops = new LeaseOps<DeliveryBatch, DeliveryOutcome?>(
            DeliveryOutbox.NotificationChannel,
            ct => outbox.TryLeaseBatchAsync(options.Name, options.LeaseDuration, options.Kinds, options.BatchSize, ct),
            (batch, ct) => outbox.RenewAsync(batch, options.LeaseDuration, ct),
            batch => batch.LeaseExpiresAt,
            outbox.ReleaseAsync,
            outbox.TimeUntilNextDueAsync,
            ex => new DeliveryOutcome(false, null, $"{ex.GetType().Name}: {ex.Message}"),
            async (batch, rest, ct) =>
            {
                if (rest is null || batch.Open == 0) return;
                var failed = await outbox.FailOpenAsync(batch, rest.Error ?? "not sent", rest.DimseStatus, rest.Permanent, options.RetryPolicy, ct)
                    .ConfigureAwait(false);
                if (failed > 0) LogBatchFailed(log, options.Name, failed, batch.Destination, rest.Error ?? "not sent");
            },
            batch => batch.Items[0].Id);
        _loop = new LeaseLoop<DeliveryBatch, DeliveryOutcome?>(dataSource, options, ops, (batch, ct) => SendAsync(outbox, options, log, sender, batch, ct), log);
    }

    /// <summary>A sender of one delivery at a time (each item of a batch in turn), for tests and simple senders.</summary>
    public static Func<DeliveryBatch, CancellationToken, IAsyncEnumerable<DeliveryResult>> OneByOne(Func<DeliveryLease, CancellationToken, Task<DeliveryOutcome>> send)
    {
        ArgumentNullException.ThrowIfNull(send);
        return Each;

        async IAsyncEnumerable<DeliveryResult> Each(DeliveryBatch batch, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (var item in batch.Items) yield return new DeliveryResult(item, await send(item, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>Runs until <paramref name="stoppingToken"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken stoppingToken) => _loop.RunAsync(stoppingToken);

    /// <summary>Leases and sends at most one batch. Returns false when none was ready.</summary>
    public Task<bool> RunOnceAsync(CancellationToken stoppingToken) => _loop.RunOnceAsync(stoppingToken);

    // Records each item as the sender reports it; the outcome returned applies to the items it did not report.
    private static async Task<DeliveryOutcome?> SendAsync(
        DeliveryOutbox outbox, JobWorkerOptions options, ILogger log, Func<DeliveryBatch, CancellationToken, IAsyncEnumerable<DeliveryResult>> sender,
        DeliveryBatch batch, CancellationToken cancellationToken)
    {
        int delivered = 0;
        await foreach (var (item, outcome) in sender(batch, cancellationToken).ConfigureAwait(false))
        {
            if (item is null) return outcome.Succeeded ? new DeliveryOutcome(false, null, "not sent: the sender reported success for no item") : outcome;

            // An acknowledged store is recorded even while stopping: not recording it would send it again.
            if (outcome.Succeeded)
            {
                if (!await outbox.CompleteAsync(item, outcome.DimseStatus ?? 0, CancellationToken.None).ConfigureAwait(false))
                    LogItemDiscarded(log, options.Name, item.Id);
                else delivered++;
            }
            else
            {
                var result = await outbox.FailAsync(item, outcome.Error ?? "failed", outcome.DimseStatus, outcome.Permanent, options.RetryPolicy, CancellationToken.None)
                    .ConfigureAwait(false);
                if (result.Accepted) LogFailed(log, options.Name, item.Id, item.Destination, item.Attempt, result.State ?? "?", outcome.Error ?? "failed");
                else LogItemDiscarded(log, options.Name, item.Id);
            }

            batch.Finished();
        }

        if (delivered > 0) LogDelivered(log, options.Name, delivered, batch.Items.Count, batch.Destination);
        return batch.Open == 0 ? null : new DeliveryOutcome(false, null, "not sent: the sender reported no outcome for it");
    }

    [LoggerMessage(EventId = 4053, Level = LogLevel.Information, Message = "{Worker}: {Delivered} of {Count} object(s) acknowledged by {Destination}")]
    private static partial void LogDelivered(ILogger logger, string worker, int delivered, int count, string destination);

    [LoggerMessage(EventId = 4050, Level = LogLevel.Warning, Message = "{Worker}: delivery {DeliveryId} to {Destination} attempt {Attempt} failed, now {State}: {Error}")]
    private static partial void LogFailed(ILogger logger, string worker, long deliveryId, string destination, int attempt, string state, string error);

    [LoggerMessage(EventId = 4051, Level = LogLevel.Warning, Message = "{Worker}: {Count} delivery(ies) to {Destination} failed together: {Error}")]
    private static partial void LogBatchFailed(ILogger logger, string worker, int count, string destination, string error);

    [LoggerMessage(EventId = 4052, Level = LogLevel.Warning, Message = "{Worker}: delivery {DeliveryId} was no longer leased to it when it finished; result discarded")]
    private static partial void LogItemDiscarded(ILogger logger, string worker, long deliveryId);
}
