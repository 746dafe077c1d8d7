using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Agent.Storage.Queue;

/// <summary>
/// One worker loop over the <see cref="JobQueue"/>: sleeps until notified (or the fallback poll), leases a job, runs
/// the handler while renewing the lease, then completes or fails it. Run several (in one or many processes) for
/// parallelism; they coordinate only through the database.
/// </summary>
/// <remarks>
/// Handler contract: return a <see cref="JobOutcome"/> without <see cref="JobOutcome.Error"/> for success, with it
/// for a failed attempt (retried with backoff unless <see cref="JobOutcome.Permanent"/>). An exception is a
/// failed attempt too. The token passed to the handler is cancelled when the worker stops (the job is then
/// released for another worker without using up an attempt) or when the lease is lost (cancelled by an operator,
/// or reclaimed after missed heartbeats): stop and return promptly; the result of a lost lease is discarded.
/// </remarks>
public sealed partial class JobWorker
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly JobQueue _queue;
    private readonly JobWorkerOptions _options;
    private readonly Func<JobLease, CancellationToken, Task<JobOutcome>> _handler;
    private readonly ILogger _logger;

    public JobWorker(
        NpgsqlDataSource dataSource, JobWorkerOptions options, Func<JobLease, CancellationToken, Task<JobOutcome>> handler, ILogger? logger = null)
    {
        _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        _logger = logger ?? NullLogger.Instance;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.LeaseDuration, TimeSpan.Zero);
        _queue = new JobQueue(dataSource);
    }

    /// <summary>Runs until <paramref name="stoppingToken"/> is cancelled. Database outages are logged and waited out.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        await using var notifier = new WorkNotifier(_dataSource, JobQueue.NotificationChannel, _logger);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await RunOnceAsync(stoppingToken).ConfigureAwait(false))
                {
                    continue;
                }

                var untilDue = await _queue.TimeUntilNextDueAsync(stoppingToken).ConfigureAwait(false);
                var wait = untilDue is { } d && d < _options.PollInterval ? d : _options.PollInterval;
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
                LogDatabaseError(_logger, _options.Name, ex.Message);
                try
                {
                    await Task.Delay(_options.PollInterval, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Leases and runs at most one job. Returns false when no job was ready.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken stoppingToken)
    {
        var lease = await _queue.TryLeaseAsync(_options.Name, _options.LeaseDuration, _options.Kinds, stoppingToken).ConfigureAwait(false);
        if (lease is null)
        {
            return false;
        }

        LogLeased(_logger, _options.Name, lease.Id, lease.Kind, lease.Attempt);
        using var leaseLost = new CancellationTokenSource();
        using var jobToken = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, leaseLost.Token);
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(lease, leaseLost, heartbeatStop.Token);

        JobOutcome outcome;
        try
        {
            outcome = await _handler(lease, jobToken.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (jobToken.IsCancellationRequested)
        {
            await StopHeartbeatAsync(heartbeatStop, heartbeat).ConfigureAwait(false);
            if (leaseLost.IsCancellationRequested)
            {
                LogLeaseLost(_logger, _options.Name, lease.Id);
            }
            else
            {
                // Shutting down: give the job back now rather than after the lease expires.
                await _queue.ReleaseAsync(lease, CancellationToken.None).ConfigureAwait(false);
            }

            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            outcome = new JobOutcome { Error = $"{ex.GetType().Name}: {ex.Message}" };
        }

        await StopHeartbeatAsync(heartbeatStop, heartbeat).ConfigureAwait(false);

        // Finishing must not be skipped because the agent is stopping: use no cancellation here.
        if (outcome.Error is null)
        {
            if (!await _queue.CompleteAsync(lease, outcome, CancellationToken.None).ConfigureAwait(false))
            {
                LogLeaseLost(_logger, _options.Name, lease.Id);
            }
        }
        else
        {
            var result = await _queue.FailAsync(lease, outcome, _options.RetryPolicy, CancellationToken.None).ConfigureAwait(false);
            if (result.Accepted)
            {
                LogFailed(_logger, _options.Name, lease.Id, lease.Attempt, result.State ?? "?", outcome.Error);
            }
            else
            {
                LogLeaseLost(_logger, _options.Name, lease.Id);
            }
        }

        return true;
    }

    private async Task HeartbeatAsync(JobLease lease, CancellationTokenSource leaseLost, CancellationToken stop)
    {
        var every = _options.RenewEvery ?? _options.LeaseDuration / 3;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, stop).ConfigureAwait(false);
                if (!await _queue.RenewAsync(lease, _options.LeaseDuration, stop).ConfigureAwait(false))
                {
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
                // Keep trying while the lease may still be ours; past its expiry another worker may run the job.
                LogDatabaseError(_logger, _options.Name, ex.Message);
                if (DateTime.UtcNow >= lease.LeaseExpiresAt)
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

    [LoggerMessage(EventId = 4040, Level = LogLevel.Information, Message = "{Worker} leased job {JobId} ({Kind}), attempt {Attempt}")]
    private static partial void LogLeased(ILogger logger, string worker, long jobId, string kind, int attempt);

    [LoggerMessage(EventId = 4041, Level = LogLevel.Warning, Message = "{Worker} lost the lease of job {JobId} (cancelled or reclaimed); its result is discarded")]
    private static partial void LogLeaseLost(ILogger logger, string worker, long jobId);

    [LoggerMessage(EventId = 4042, Level = LogLevel.Warning, Message = "{Worker}: job {JobId} attempt {Attempt} failed, now {State}: {Error}")]
    private static partial void LogFailed(ILogger logger, string worker, long jobId, int attempt, string state, string error);

    [LoggerMessage(EventId = 4043, Level = LogLevel.Warning, Message = "{Worker}: database error ({Error}); retrying")]
    private static partial void LogDatabaseError(ILogger logger, string worker, string error);
}
