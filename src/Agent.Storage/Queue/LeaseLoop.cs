using Microsoft.Extensions.Logging;
using Npgsql;

namespace Agent.Storage.Queue;

/// <summary>What a <see cref="LeaseLoop{TLease,TOutcome}"/> needs from its queue (jobs or deliveries).</summary>
internal sealed record LeaseOps<TLease, TOutcome>(
    string Channel,
    Func<CancellationToken, Task<TLease?>> TryLease,
    Func<TLease, CancellationToken, Task<bool>> Renew,
    Func<TLease, DateTime> ExpiresAt,
    Func<TLease, CancellationToken, Task<bool>> Release,
    Func<CancellationToken, Task<TimeSpan?>> TimeUntilNextDue,
    Func<Exception, TOutcome> OutcomeOfException,
    Func<TLease, TOutcome, CancellationToken, Task> Finish,
    Func<TLease, long> IdOf)
    where TLease : class;

/// <summary>
/// The worker loop shared by <see cref="JobWorker"/> and <see cref="DeliveryWorker"/>: sleep until notified (or the
/// fallback poll, or the next retry falling due), lease, run the handler while renewing the lease, finish.
/// </summary>
internal sealed partial class LeaseLoop<TLease, TOutcome>(
    NpgsqlDataSource dataSource,
    LeaseOps<TLease, TOutcome> ops,
    Func<TLease, CancellationToken, Task<TOutcome>> handler,
    string name,
    TimeSpan renewEvery,
    TimeSpan pollInterval,
    ILogger logger)
    where TLease : class
{
    /// <summary>A loop as <paramref name="options"/> describe it (name, heartbeat a third of the lease unless set, poll).</summary>
    public LeaseLoop(
        NpgsqlDataSource dataSource, JobWorkerOptions options, LeaseOps<TLease, TOutcome> ops, Func<TLease, CancellationToken, Task<TOutcome>> handler, ILogger logger)
        : this(dataSource, ops, handler, options.Name, options.RenewEvery ?? options.LeaseDuration / 3, options.PollInterval, logger)
    {
    }

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        await using var notifier = new WorkNotifier(dataSource, ops.Channel, logger);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await notifier.ListenAsync(stoppingToken).ConfigureAwait(false);
                if (await RunOnceAsync(stoppingToken).ConfigureAwait(false))
                {
                    continue;
                }

                var untilDue = await ops.TimeUntilNextDue(stoppingToken).ConfigureAwait(false);
                var wait = untilDue is { } d && d < pollInterval ? d : pollInterval;
                if (wait > TimeSpan.Zero)
                {
                    await notifier.WaitAsync(wait, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException)
            {
                LogDatabaseError(logger, name, ex.Message);
                try
                {
                    await Task.Delay(pollInterval, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    public async Task<bool> RunOnceAsync(CancellationToken stoppingToken)
    {
        var lease = await ops.TryLease(stoppingToken).ConfigureAwait(false);
        if (lease is null)
        {
            return false;
        }

        using var leaseLost = new CancellationTokenSource();
        using var workToken = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, leaseLost.Token);
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(lease, leaseLost, heartbeatStop.Token);

        TOutcome outcome;
        try
        {
            outcome = await handler(lease, workToken.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (workToken.IsCancellationRequested)
        {
            await StopHeartbeatAsync(heartbeatStop, heartbeat).ConfigureAwait(false);
            if (leaseLost.IsCancellationRequested)
            {
                LogLeaseLost(logger, name, ops.IdOf(lease));
            }
            else
            {
                // Shutting down: give the work back now rather than when the lease expires.
                await ops.Release(lease, CancellationToken.None).ConfigureAwait(false);
            }

            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            outcome = ops.OutcomeOfException(ex);
        }

        await StopHeartbeatAsync(heartbeatStop, heartbeat).ConfigureAwait(false);

        // Finishing must not be skipped because the agent is stopping: no cancellation here.
        await ops.Finish(lease, outcome, CancellationToken.None).ConfigureAwait(false);
        return true;
    }

    private async Task HeartbeatAsync(TLease lease, CancellationTokenSource leaseLost, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(renewEvery, stop).ConfigureAwait(false);
                if (!await ops.Renew(lease, stop).ConfigureAwait(false))
                {
                    LogLeaseLost(logger, name, ops.IdOf(lease));
                    await leaseLost.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException)
            {
                // Keep trying while the lease may still be ours; past its expiry someone else may be running it.
                LogDatabaseError(logger, name, ex.Message);
                if (DateTime.UtcNow >= ops.ExpiresAt(lease))
                {
                    await leaseLost.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
    }

    private static async Task StopHeartbeatAsync(CancellationTokenSource stop, Task heartbeat)
    {
        await stop.CancelAsync().ConfigureAwait(false);
        await heartbeat.ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 4041, Level = LogLevel.Warning, Message = "{Worker} lost the lease of {Id} (cancelled or reclaimed); its result is discarded")]
    private static partial void LogLeaseLost(ILogger logger, string worker, long id);

    [LoggerMessage(EventId = 4043, Level = LogLevel.Warning, Message = "{Worker}: database error ({Error}); retrying")]
    private static partial void LogDatabaseError(ILogger logger, string worker, string error);
}
