using System.Globalization;
using Agent.Storage.Queue;
using Dapper;
using Npgsql;

namespace Agent.Host.Reanalysis;

/// <summary>What a running re-analysis writes: run state, one row per found series, the series' claim and outcome.</summary>
internal sealed class RunRecorder(NpgsqlDataSource dataSource, long runId)
{
    public long RunId => runId;

    /// <summary>Idempotency key of this run's segment job for a series (a retried run gets the same job back).</summary>
    public string SegmentJobKey(string seriesUid, ModelSpec model) => string.Create(CultureInfo.InvariantCulture, $"segment:{seriesUid}:{model}:reanalysis{runId}");

    public async Task SetStateAsync(string state, string? error, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await conn.ExecuteAsync(new CommandDefinition(
            """
            UPDATE reanalysis_runs SET state = @state, error = @error, started_at = COALESCE(started_at, now()),
                   finished_at = CASE WHEN @state IN ('done', 'failed') THEN now() END
            WHERE id = @runId
            """,
            new { runId, state, error }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Records the found series (again on a retried run: existing rows keep their state); returns every row.</summary>
    public async Task<IReadOnlyList<SeriesRow>> RecordFoundAsync(IReadOnlyList<FoundSeries> found, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var f in found)
        {
            await conn.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO reanalysis_series (run_id, study_instance_uid, series_instance_uid, modality, series_description, expected_instances)
                VALUES (@runId, @StudyInstanceUid, @SeriesInstanceUid, @Modality, @SeriesDescription, @Instances)
                ON CONFLICT (run_id, series_instance_uid) DO NOTHING
                """,
                new { runId, f.StudyInstanceUid, f.SeriesInstanceUid, f.Modality, f.SeriesDescription, f.Instances },
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        var rows = await conn.QueryAsync<SeriesRow>(new CommandDefinition(
            """
            SELECT id AS Id, study_instance_uid AS StudyInstanceUid, series_instance_uid AS SeriesInstanceUid, state AS State
            FROM reanalysis_series WHERE run_id = @runId ORDER BY id
            """,
            new { runId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    /// <summary>Why we need not (or must not) retrieve this series for <paramref name="model"/>, or null.</summary>
    public async Task<string?> SkipReasonAsync(string seriesUid, ModelSpec model, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var outputs = await conn.ExecuteScalarAsync<int>(new CommandDefinition(
            """
            SELECT count(*)::int FROM outputs o JOIN models m ON m.id = o.model_id JOIN series s ON s.id = o.source_series_id
            WHERE s.series_instance_uid = @seriesUid AND m.name = @Name AND m.version = @Version
            """,
            new { seriesUid, model.Name, model.Version }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (outputs > 0) return $"already has {outputs} output(s) by {model}";
        var job = await conn.QuerySingleOrDefaultAsync<(long Id, string State)?>(new CommandDefinition(
            """
            SELECT j.id, j.state FROM jobs j JOIN series s ON s.id = j.series_id
            WHERE s.series_instance_uid = @seriesUid AND j.kind = @kind AND j.state IN ('queued', 'running')
              AND j.payload->>'Model' = @Name AND j.payload->>'ModelVersion' = @Version AND j.idempotency_key <> @own
            ORDER BY j.id LIMIT 1
            """,
            new { seriesUid, kind = Routing.SeriesRouter.SegmentKind, model.Name, model.Version, own = SegmentJobKey(seriesUid, model) },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return job is { } j ? $"segment job {j.Id} with {model} is already {j.State}" : null;
    }

    public async Task SkipAsync(long rowId, string reason, CancellationToken cancellationToken) =>
        await UpdateAsync(rowId, "skipped", reason, "", cancellationToken).ConfigureAwait(false);

    /// <summary>From now on, instances of the series that arrive are this run's (the routing rules leave them alone).</summary>
    public async Task ClaimAsync(long rowId, CancellationToken cancellationToken) =>
        await UpdateAsync(rowId, "retrieving", null, ", claimed_at = now(), released_at = NULL", cancellationToken).ConfigureAwait(false);

    public async Task FailAsync(long rowId, string reason, int? retrieved, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await conn.ExecuteAsync(new CommandDefinition(
            """
            UPDATE reanalysis_series SET state = 'failed', reason = @reason, retrieved_instances = @retrieved,
                   released_at = CASE WHEN claimed_at IS NOT NULL THEN now() END, updated_at = now()
            WHERE id = @rowId
            """,
            new { rowId, reason, retrieved }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Distinct NAME@VERSION of the models whose outputs exist for the series (database id).</summary>
    public async Task<IReadOnlyList<string>> PreviousModelsAsync(long seriesId, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await conn.QueryAsync<string>(new CommandDefinition(
            """
            SELECT m.name || '@' || m.version FROM outputs o JOIN models m ON m.id = o.model_id
            WHERE o.source_series_id = @seriesId GROUP BY m.name, m.version ORDER BY max(o.id)
            """,
            new { seriesId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    /// <summary>The series was retrieved and its segment job queued: record the rule decision and the row's outcome together.</summary>
    public async Task QueuedAsync(long rowId, long seriesId, long studyId, int retrieved, EnqueueResult job, string ruleName, string pipeline, string reason,
        CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // A retried run whose job enqueue returned the existing job has recorded the decision already.
        var recorded = await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM rule_decisions WHERE job_id = @Id AND rule_name = @ruleName)",
            new { job.Id, ruleName }, tx, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (!recorded)
        {
            await conn.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO rule_decisions (series_id, study_id, rule_name, matched, pipeline, reason, job_id)
                VALUES (@seriesId, @studyId, @ruleName, true, @pipeline, @reason, @jobId)
                """,
                new { seriesId, studyId, ruleName, pipeline, reason, jobId = job.Id }, tx, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
        await conn.ExecuteAsync(new CommandDefinition(
            """
            UPDATE reanalysis_series SET state = 'queued', reason = @reason, retrieved_instances = @retrieved, series_id = @seriesId,
                   job_id = @jobId, released_at = now(), updated_at = now()
            WHERE id = @rowId
            """,
            new { rowId, reason, retrieved, seriesId, jobId = job.Id }, tx, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task UpdateAsync(long rowId, string state, string? reason, string extra, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await conn.ExecuteAsync(new CommandDefinition(
            $"UPDATE reanalysis_series SET state = @state, reason = COALESCE(@reason, reason), updated_at = now(){extra} WHERE id = @rowId",
            new { rowId, state, reason }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}

/// <summary>A found series as the run sees it.</summary>
internal sealed class SeriesRow
{
    public long Id { get; init; }

    public string StudyInstanceUid { get; init; } = "";

    public string SeriesInstanceUid { get; init; } = "";

    public string State { get; init; } = "";
}
