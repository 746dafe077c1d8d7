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
    private readonly LeaseLoop<JobLease, JobOutcome> _loop;

    public JobWorker(
        NpgsqlDataSource dataSource, JobWorkerOptions options, Func<JobLease, CancellationToken, Task<JobOutcome>> handler, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.LeaseDuration, TimeSpan.Zero);
        var log = logger ?? NullLogger.Instance;
        var queue = new JobQueue(dataSource);
        var ops = new LeaseOps<JobLease, JobOutcome>(
            JobQueue.NotificationChannel,
            async ct =>
            {
                var lease = await queue.TryLeaseAsync(options.Name, options.LeaseDuration, options.Kinds, ct).ConfigureAwait(false);
                if (lease is not null)
                {
                    LogLeased(log, options.Name, lease.Id, lease.Kind, lease.Attempt);
                }

                return lease;
            },
            (lease, ct) => queue.RenewAsync(lease, options.LeaseDuration, ct),
            lease => lease.LeaseExpiresAt,
            queue.ReleaseAsync,
            queue.TimeUntilNextDueAsync,
            ex => new JobOutcome { Error = $"{ex.GetType().Name}: {ex.Message}" },
            async (lease, outcome, ct) =>
            {
                if (outcome.Error is null)
                {
                    if (!await queue.CompleteAsync(lease, outcome, ct).ConfigureAwait(false))
                    {
                        LogResultDiscarded(log, options.Name, lease.Id);
                    }
                    else
                    {
                        LogSucceeded(log, options.Name, lease.Id, lease.Kind, outcome.Outputs.Count);
                    }

                    return;
                }

                var result = await queue.FailAsync(lease, outcome, options.RetryPolicy, ct).ConfigureAwait(false);
                if (result.Accepted)
                {
                    LogFailed(log, options.Name, lease.Id, lease.Attempt, result.State ?? "?", outcome.Error);
                }
                else
                {
                    LogResultDiscarded(log, options.Name, lease.Id);
                }
            },
            lease => lease.Id);
        _loop = new LeaseLoop<JobLease, JobOutcome>(dataSource, options, ops, handler, log);
    }

    /// <summary>Runs until <paramref name="stoppingToken"/> is cancelled. Database outages are logged and waited out.</summary>
    public Task RunAsync(CancellationToken stoppingToken) => _loop.RunAsync(stoppingToken);

    /// <summary>Leases and runs at most one job. Returns false when no job was ready.</summary>
    public Task<bool> RunOnceAsync(CancellationToken stoppingToken) => _loop.RunOnceAsync(stoppingToken);

    [LoggerMessage(EventId = 4040, Level = LogLevel.Information, Message = "{Worker} leased job {JobId} ({Kind}), attempt {Attempt}")]
    private static partial void LogLeased(ILogger logger, string worker, long jobId, string kind, int attempt);

    [LoggerMessage(EventId = 4045, Level = LogLevel.Information, Message = "{Worker}: job {JobId} ({Kind}) succeeded with {Outputs} output(s)")]
    private static partial void LogSucceeded(ILogger logger, string worker, long jobId, string kind, int outputs);

    [LoggerMessage(EventId = 4042, Level = LogLevel.Warning, Message = "{Worker}: job {JobId} attempt {Attempt} failed, now {State}: {Error}")]
    private static partial void LogFailed(ILogger logger, string worker, long jobId, int attempt, string state, string error);

    [LoggerMessage(EventId = 4044, Level = LogLevel.Warning, Message = "{Worker}: job {JobId} was no longer leased to it when it finished; result discarded")]
    private static partial void LogResultDiscarded(ILogger logger, string worker, long jobId);
}
