using System.Text.Json;
using Agent.Storage.Queue;
using Dapper;
using Npgsql;

namespace Agent.Host.Reanalysis;

/// <summary>Queues re-analysis runs and reads their progress (tables reanalysis_runs / reanalysis_series, migration 0005).</summary>
public sealed class ReanalysisRuns(NpgsqlDataSource dataSource) : IReanalysisEnqueuer
{
    public const string JobKind = "reanalyze";

    /// <summary>Retries of a run whose query or retrieval failed as a whole (the PACS unreachable, say).</summary>
    public const int MaxAttempts = 3;

    /// <summary>
    /// Queues the run's <c>reanalyze</c> job under <paramref name="idempotencyKey"/> (the same key returns the existing
    /// run) and records the run. Returns the run id (= the job id) and whether it is new.
    /// </summary>
    public async Task<(long RunId, bool Created)> EnqueueAsync(ReanalyzeJobPayload payload, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var job = await new JobQueue(dataSource).EnqueueAsync(new JobRequest
        {
            Kind = JobKind,
            IdempotencyKey = idempotencyKey,
            PayloadJson = JsonSerializer.Serialize(payload),
            Pipeline = "reanalyze:" + payload.Model,
            MaxAttempts = MaxAttempts,
        }, cancellationToken).ConfigureAwait(false);
        // Also done by the handler: a crash between the two statements leaves a job that still records its run.
        await EnsureRunAsync(job.Id, payload, cancellationToken).ConfigureAwait(false);
        return (job.Id, job.Created);
    }

    public async Task<DateTimeOffset?> LastOccurrenceAsync(string schedule, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var last = await conn.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            "SELECT max(occurrence) FROM reanalysis_runs WHERE schedule = @schedule", new { schedule }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return last is { } l ? new DateTimeOffset(DateTime.SpecifyKind(l, DateTimeKind.Utc)) : null;
    }

    internal async Task EnsureRunAsync(long runId, ReanalyzeJobPayload payload, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await conn.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO reanalysis_runs (id, schedule, occurrence, source, query, model, send_to, max_series)
            VALUES (@runId, @Schedule, @Occurrence, @Source, @query::jsonb, @Model, @sendTo, @MaxSeries)
            ON CONFLICT (id) DO NOTHING
            """,
            new { runId, payload.Schedule, Occurrence = payload.Occurrence?.UtcDateTime, payload.Source, query = JsonSerializer.Serialize(payload.Query), payload.Model, sendTo = payload.SendTo.ToArray(), payload.MaxSeries },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The run's progress, or null when there is no such run.</summary>
    public async Task<RunProgress?> ProgressAsync(long runId, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await conn.QuerySingleOrDefaultAsync<RunProgress>(new CommandDefinition(
            """
            SELECT p.run_id AS RunId, p.schedule AS Schedule, p.source AS Source, p.model AS Model, p.run_state AS RunState,
                   p.job_state AS JobState, j.last_error AS JobError, j.attempts AS Attempts, p.error AS Error, p.found AS Found,
                   p.skipped AS Skipped, p.retrieved AS Retrieved, p.queued AS Queued, p.failed AS Failed,
                   p.segmented AS Segmented, p.segmenting AS Segmenting
            FROM reanalysis_progress p JOIN jobs j ON j.id = p.run_id WHERE p.run_id = @runId
            """,
            new { runId },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Each series of a run with its state and reason (and its segment job's state), oldest first.</summary>
    public async Task<IReadOnlyList<RunSeries>> SeriesAsync(long runId, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await conn.QueryAsync<RunSeries>(new CommandDefinition(
            """
            SELECT s.series_instance_uid AS SeriesInstanceUid, s.modality AS Modality, s.series_description AS SeriesDescription,
                   s.state AS State, s.reason AS Reason, s.job_id AS JobId, j.state AS JobState, j.last_error AS JobError
            FROM reanalysis_series s LEFT JOIN jobs j ON j.id = s.job_id WHERE s.run_id = @runId ORDER BY s.id
            """,
            new { runId },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }
}

/// <summary>One row of the reanalysis_progress view.</summary>
public sealed class RunProgress
{
    public long RunId { get; init; }

    public string? Schedule { get; init; }

    public string Source { get; init; } = "";

    public string Model { get; init; } = "";

    /// <summary>queued, querying, retrieving, done or failed.</summary>
    public string RunState { get; init; } = "";

    /// <summary>State of the run's reanalyze job (it retries a run that failed as a whole).</summary>
    public string JobState { get; init; } = "";

    public string? JobError { get; init; }

    public int Attempts { get; init; }

    public string? Error { get; init; }

    public int Found { get; init; }

    public int Skipped { get; init; }

    public int Retrieved { get; init; }

    public int Queued { get; init; }

    public int Failed { get; init; }

    public int Segmented { get; init; }

    public int Segmenting { get; init; }

    /// <summary>Nothing more will happen: the run job ended and every segment job it queued ended.</summary>
    public bool Finished => (JobState is WorkState.Succeeded or WorkState.Failed or WorkState.Cancelled) && Segmenting == 0;

    /// <summary>Series that will not get new results (retrieval or pipeline failed), or the whole run failed.</summary>
    public bool HasFailures => Failed > 0 || JobState is WorkState.Failed or WorkState.Cancelled;
}

/// <summary>One series of a run.</summary>
public sealed class RunSeries
{
    public string SeriesInstanceUid { get; init; } = "";

    public string? Modality { get; init; }

    public string? SeriesDescription { get; init; }

    public string State { get; init; } = "";

    public string? Reason { get; init; }

    public long? JobId { get; init; }

    public string? JobState { get; init; }

    public string? JobError { get; init; }
}
