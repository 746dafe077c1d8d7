using Dapper;
using Npgsql;

namespace Agent.Storage.Provenance;

/// <summary>DICOM objects the agent produced (SEG, SR, ...), with what they were derived from and by which model.</summary>
public sealed class OutputRepository(NpgsqlDataSource dataSource)
{
    private readonly NpgsqlDataSource _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));

    /// <summary>
    /// Records an output; idempotent on its SOP Instance UID (a job re-run after a crash that re-records the same
    /// object gets the existing id back). Returns the output id.
    /// </summary>
    public async Task<long> RecordAsync(OutputRecord output, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await RecordAsync(conn, null, output, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Record on a caller's connection and transaction (job completion with its outputs).</summary>
    internal static async Task<long> RecordAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, OutputRecord output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        for (var i = 0; i < 3; i++)
        {
            var id = await conn.ExecuteScalarAsync<long?>(new CommandDefinition(
                """
                WITH ins AS (
                    INSERT INTO outputs (job_id, kind, sop_class_uid, sop_instance_uid, series_instance_uid, study_instance_uid,
                                         source_series_id, model_id, supersedes_output_id, file_path)
                    VALUES (@JobId, @Kind, @SopClassUid, @SopInstanceUid, @SeriesInstanceUid, @StudyInstanceUid,
                            @SourceSeriesId, @ModelId, @SupersedesOutputId, @FilePath)
                    ON CONFLICT (sop_instance_uid) DO NOTHING RETURNING id)
                SELECT id FROM ins UNION ALL SELECT id FROM outputs WHERE sop_instance_uid = @SopInstanceUid LIMIT 1
                """,
                output,
                tx,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (id is { } found)
            {
                return found;
            }
        }

        throw new StorageConflictException($"Output {output.SopInstanceUid} could not be recorded");
    }

    /// <summary>The latest output of a kind derived from a source series (database id), to set <see cref="OutputRecord.SupersedesOutputId"/>.</summary>
    public async Task<long?> LatestForSourceSeriesAsync(long sourceSeriesId, string kind, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await conn.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM outputs WHERE source_series_id = @sourceSeriesId AND kind = @kind ORDER BY created_at DESC, id DESC LIMIT 1",
            new { sourceSeriesId, kind },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}

/// <summary>One produced object. <see cref="SourceSeriesId"/>, <see cref="ModelId"/>, <see cref="JobId"/> are database ids.</summary>
public sealed class OutputRecord
{
    /// <summary>'SEG', 'SR', 'KO', ...</summary>
    public required string Kind { get; init; }

    public required string SopClassUid { get; init; }

    public required string SopInstanceUid { get; init; }

    public required string SeriesInstanceUid { get; init; }

    public required string StudyInstanceUid { get; init; }

    public long? JobId { get; init; }

    public long? SourceSeriesId { get; init; }

    public long? ModelId { get; init; }

    /// <summary>The earlier output this one replaces (e.g. a re-run with a newer model).</summary>
    public long? SupersedesOutputId { get; init; }

    public string? FilePath { get; init; }

    internal OutputRecord WithJob(long jobId) => new()
    {
        Kind = Kind,
        SopClassUid = SopClassUid,
        SopInstanceUid = SopInstanceUid,
        SeriesInstanceUid = SeriesInstanceUid,
        StudyInstanceUid = StudyInstanceUid,
        JobId = jobId,
        SourceSeriesId = SourceSeriesId,
        ModelId = ModelId,
        SupersedesOutputId = SupersedesOutputId,
        FilePath = FilePath,
    };
}
