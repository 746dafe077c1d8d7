using Dapper;
using Npgsql;

namespace Agent.Storage.Provenance;

/// <summary>Why a series did or did not get a pipeline: one row per rule evaluated (or per final decision).</summary>
public sealed class RuleDecisionRepository(NpgsqlDataSource dataSource)
{
    private readonly NpgsqlDataSource _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));

    /// <summary>Records a decision; returns its id.</summary>
    public async Task<long> RecordAsync(RuleDecision decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await conn.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO rule_decisions (series_id, study_id, rule_name, matched, pipeline, reason, dry_run, job_id)
            VALUES (@SeriesId, @StudyId, @RuleName, @Matched, @Pipeline, @Reason, @DryRun, @JobId) RETURNING id
            """,
            decision,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The decisions recorded for a series (database id), oldest first.</summary>
    public async Task<IReadOnlyList<RuleDecision>> ForSeriesAsync(long seriesId, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await conn.QueryAsync<RuleDecision>(new CommandDefinition(
            """
            SELECT series_id AS SeriesId, study_id AS StudyId, rule_name AS RuleName, matched AS Matched, pipeline AS Pipeline,
                   reason AS Reason, dry_run AS DryRun, job_id AS JobId
            FROM rule_decisions WHERE series_id = @seriesId ORDER BY id
            """,
            new { seriesId },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }
}

/// <summary>One routing decision. Ids are database ids (<see cref="IndexedSeries.Id"/>, <see cref="IndexedSeries.StudyRowId"/>, job id).</summary>
public sealed class RuleDecision
{
    public long? SeriesId { get; init; }

    public long? StudyId { get; init; }

    public string? RuleName { get; init; }

    public bool Matched { get; init; }

    public string? Pipeline { get; init; }

    public string? Reason { get; init; }

    public bool DryRun { get; init; }

    public long? JobId { get; init; }
}
