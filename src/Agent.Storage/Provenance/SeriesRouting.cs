using Agent.Storage.Queue;
using Dapper;
using Npgsql;

namespace Agent.Storage.Provenance;

/// <summary>
/// Routes a completed series exactly once, even with several agent processes and crashes: in one transaction it
/// claims the series (<c>routed_at</c> compare-and-set), records the rule decisions and enqueues the jobs they chose.
/// A crash before the commit leaves the series unrouted (it is offered again by
/// <see cref="InstanceIndex.GetQuietUnroutedSeriesAsync"/>); after the commit, decisions and jobs exist together.
/// </summary>
public sealed class SeriesRouting(NpgsqlDataSource dataSource)
{
    private readonly NpgsqlDataSource _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));

    /// <summary>
    /// Claims <paramref name="seriesId"/> and stores its decisions and jobs. Returns null (and stores nothing) when the
    /// series was already routed, e.g. by another agent process. Decisions marked <see cref="RuleDecision.DryRun"/>
    /// are recorded but their job is not enqueued.
    /// </summary>
    public async Task<RoutingResult?> RouteAsync(long seriesId, IReadOnlyList<RoutedDecision> decisions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var claimed = await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE series SET routed_at = now() WHERE id = @seriesId AND routed_at IS NULL",
            new { seriesId },
            tx,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (claimed == 0)
        {
            return null;
        }

        var jobs = new List<EnqueueResult>();
        var decisionIds = new List<long>();
        foreach (var routed in decisions)
        {
            long? jobId = null;
            if (routed.Job is not null && !routed.Decision.DryRun)
            {
                var job = await JobQueue.EnqueueAsync(conn, tx, routed.Job, cancellationToken).ConfigureAwait(false);
                jobs.Add(job);
                jobId = job.Id;
            }

            var d = routed.Decision;
            decisionIds.Add(await conn.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO rule_decisions (series_id, study_id, rule_name, matched, pipeline, reason, dry_run, job_id)
                VALUES (@seriesId, @StudyId, @RuleName, @Matched, @Pipeline, @Reason, @DryRun, @jobId) RETURNING id
                """,
                new { seriesId, d.StudyId, d.RuleName, d.Matched, d.Pipeline, d.Reason, d.DryRun, jobId = jobId ?? d.JobId },
                tx,
                cancellationToken: cancellationToken)).ConfigureAwait(false));
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new RoutingResult(decisionIds, jobs);
    }
}

/// <summary>A rule decision and, when it selected a pipeline, the job to run.</summary>
public sealed record RoutedDecision(RuleDecision Decision, JobRequest? Job);

/// <summary>What <see cref="SeriesRouting.RouteAsync"/> stored: decision ids, and the jobs (Created false: already queued by key).</summary>
public sealed record RoutingResult(IReadOnlyList<long> DecisionIds, IReadOnlyList<EnqueueResult> Jobs);
