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
/// One sender loop over the <see cref="DeliveryOutbox"/>; the same behaviour as <see cref="JobWorker"/> (notify/poll,
/// heartbeat, release on stop, result discarded when the lease was lost). <see cref="JobWorkerOptions.Kinds"/>
/// selects destinations here.
/// </summary>
public sealed partial class DeliveryWorker
{
    private readonly LeaseLoop<DeliveryLease, DeliveryOutcome> _loop;

    public DeliveryWorker(
        NpgsqlDataSource dataSource, JobWorkerOptions options, Func<DeliveryLease, CancellationToken, Task<DeliveryOutcome>> handler, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.LeaseDuration, TimeSpan.Zero);
        var log = logger ?? NullLogger.Instance;
        var outbox = new DeliveryOutbox(dataSource);
        var ops = new LeaseOps<DeliveryLease, DeliveryOutcome>(
            DeliveryOutbox.NotificationChannel,
            ct => outbox.TryLeaseAsync(options.Name, options.LeaseDuration, options.Kinds, ct),
            (lease, ct) => outbox.RenewAsync(lease, options.LeaseDuration, ct),
            lease => lease.LeaseExpiresAt,
            outbox.ReleaseAsync,
            outbox.TimeUntilNextDueAsync,
            ex => new DeliveryOutcome(false, null, $"{ex.GetType().Name}: {ex.Message}"),
            async (lease, outcome, ct) =>
            {
                if (outcome.Succeeded)
                {
                    await outbox.CompleteAsync(lease, outcome.DimseStatus ?? 0, ct).ConfigureAwait(false);
                    return;
                }

                var result = await outbox.FailAsync(lease, outcome.Error ?? "failed", outcome.DimseStatus, outcome.Permanent, options.RetryPolicy, ct)
                    .ConfigureAwait(false);
                if (result.Accepted)
                {
                    LogFailed(log, options.Name, lease.Id, lease.Destination, lease.Attempt, result.State ?? "?", outcome.Error ?? "failed");
                }
            },
            lease => lease.Id);
        _loop = new LeaseLoop<DeliveryLease, DeliveryOutcome>(
            dataSource, ops, handler, options.Name, options.RenewEvery ?? options.LeaseDuration / 3, options.PollInterval, log);
    }

    /// <summary>Runs until <paramref name="stoppingToken"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken stoppingToken) => _loop.RunAsync(stoppingToken);

    /// <summary>Leases and sends at most one delivery. Returns false when none was ready.</summary>
    public Task<bool> RunOnceAsync(CancellationToken stoppingToken) => _loop.RunOnceAsync(stoppingToken);

    [LoggerMessage(EventId = 4050, Level = LogLevel.Warning, Message = "{Worker}: delivery {DeliveryId} to {Destination} attempt {Attempt} failed, now {State}: {Error}")]
    private static partial void LogFailed(ILogger logger, string worker, long deliveryId, string destination, int attempt, string state, string error);
}
