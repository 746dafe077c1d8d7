using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Agent.Host.Reanalysis;

/// <summary>
/// Fires the enabled schedules: sleeps (on <see cref="TimeProvider"/>) until each next cron occurrence and queues ONE
/// <c>reanalyze</c> run for it, keyed <c>reanalyze:SCHEDULE:OCCURRENCE</c>, so several agent processes on one database
/// queue it once between them. Occurrences missed while the agent was down (or asleep) are not replayed one by one:
/// only the latest runs, and the log says how many were skipped.
/// </summary>
public sealed class ReanalysisScheduler(ReanalysisOptions options, IReanalysisEnqueuer enqueuer, TimeProvider time, ILogger<ReanalysisScheduler> logger)
    : BackgroundService
{
    // Task.Delay takes at most ~49 days; a yearly schedule just sleeps in steps.
    private static readonly TimeSpan LongestSleep = TimeSpan.FromDays(1);
    private static readonly TimeSpan RetryAfterError = TimeSpan.FromSeconds(30);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedules = options.Schedules.Where(s => s.Value.Enabled).Select(s => new ReanalysisSchedule(s.Key, s.Value)).ToList();
        if (schedules.Count == 0) return Task.CompletedTask;
        ReanalysisLog.Schedules(logger, string.Join(", ", schedules.Select(s => s.Name)));
        return Task.WhenAll(schedules.Select(s => RunScheduleAsync(s, stoppingToken)));
    }

    private async Task RunScheduleAsync(ReanalysisSchedule schedule, CancellationToken cancellationToken)
    {
        try
        {
            var after = time.GetUtcNow();
            await CatchUpAsync(schedule, after, cancellationToken).ConfigureAwait(false);
            while (schedule.Next(after) is { } next)
            {
                ReanalysisLog.Next(logger, schedule.Name, next);
                var wait = next - time.GetUtcNow();
                while (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait < LongestSleep ? wait : LongestSleep, time, cancellationToken).ConfigureAwait(false);
                    wait = next - time.GetUtcNow();
                }
                // Woken late (the machine slept, the clock jumped): fire only the latest occurrence that passed.
                var later = schedule.Between(next, time.GetUtcNow());
                var occurrence = later.Count > 0 ? later[^1] : next;
                if (later.Count > 0) ReanalysisLog.Missed(logger, schedule.Name, later.Count + 1, next, occurrence);
                await FireAsync(schedule, occurrence, cancellationToken).ConfigureAwait(false);
                after = occurrence;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>When the schedule ran before and occurrences passed since, queue the latest of them (only).</summary>
    private async Task CatchUpAsync(ReanalysisSchedule schedule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        DateTimeOffset? last = null;
        try
        {
            last = await enqueuer.LastOccurrenceAsync(schedule.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ReanalysisLog.FireFailed(logger, schedule.Name, now, e);
        }
        if (last is not { } l) return;
        var missed = schedule.Between(l, now);
        if (missed.Count == 0) return;
        ReanalysisLog.Missed(logger, schedule.Name, missed.Count, missed[0], missed[^1]);
        await FireAsync(schedule, missed[^1], cancellationToken).ConfigureAwait(false);
    }

    private async Task FireAsync(ReanalysisSchedule schedule, DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        var payload = schedule.PayloadFor(occurrence);
        var key = schedule.KeyFor(occurrence);
        // The database may be briefly unreachable; keep trying until the next occurrence is due.
        var giveUp = schedule.Next(occurrence) ?? DateTimeOffset.MaxValue;
        while (true)
        {
            try
            {
                var (runId, created) = await enqueuer.EnqueueAsync(payload, key, cancellationToken).ConfigureAwait(false);
                ReanalysisLog.Fired(logger, schedule.Name, occurrence, runId, created);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                ReanalysisLog.FireFailed(logger, schedule.Name, occurrence, e);
                if (time.GetUtcNow() + RetryAfterError >= giveUp) return;
                await Task.Delay(RetryAfterError, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
