using Dapper;
using Npgsql;

namespace Agent.Storage.Provenance;

/// <summary>
/// The PostgreSQL index of received instances (patient/study/series/instance keys plus rule attributes).
/// </summary>
/// <remarks>
/// Call <see cref="IndexInstanceAsync"/> after the file is durably stored and before acknowledging the C-STORE:
/// when it throws, answer with a failure status. Study and series rows keep the first non-null value of each
/// attribute (a later instance cannot rename the patient).
/// </remarks>
public sealed class InstanceIndex(NpgsqlDataSource dataSource)
{
    private const string UpsertStudySql = """
        INSERT INTO studies (study_instance_uid, patient_id, patient_name, patient_birth_date, patient_sex, accession_number,
                             study_id, study_date, study_time, study_description)
        VALUES (@StudyInstanceUid, @PatientId, @PatientName, @PatientBirthDate, @PatientSex, @AccessionNumber,
                @StudyId, @StudyDate, @StudyTime, @StudyDescription)
        ON CONFLICT (study_instance_uid) DO UPDATE SET
            patient_id         = COALESCE(studies.patient_id, EXCLUDED.patient_id),
            patient_name       = COALESCE(studies.patient_name, EXCLUDED.patient_name),
            patient_birth_date = COALESCE(studies.patient_birth_date, EXCLUDED.patient_birth_date),
            patient_sex        = COALESCE(studies.patient_sex, EXCLUDED.patient_sex),
            accession_number   = COALESCE(studies.accession_number, EXCLUDED.accession_number),
            study_id           = COALESCE(studies.study_id, EXCLUDED.study_id),
            study_date         = COALESCE(studies.study_date, EXCLUDED.study_date),
            study_time         = COALESCE(studies.study_time, EXCLUDED.study_time),
            study_description  = COALESCE(studies.study_description, EXCLUDED.study_description),
            last_received_at   = now()
        RETURNING id
        """;

    private const string UpsertSeriesSql = """
        INSERT INTO series (series_instance_uid, study_id, modality, body_part_examined, series_description, series_number,
                            protocol_name, manufacturer, frame_of_reference_uid)
        VALUES (@SeriesInstanceUid, @StudyRowId, @Modality, @BodyPartExamined, @SeriesDescription, @SeriesNumber,
                @ProtocolName, @Manufacturer, @FrameOfReferenceUid)
        ON CONFLICT (series_instance_uid) DO UPDATE SET
            modality               = COALESCE(series.modality, EXCLUDED.modality),
            body_part_examined     = COALESCE(series.body_part_examined, EXCLUDED.body_part_examined),
            series_description     = COALESCE(series.series_description, EXCLUDED.series_description),
            series_number          = COALESCE(series.series_number, EXCLUDED.series_number),
            protocol_name          = COALESCE(series.protocol_name, EXCLUDED.protocol_name),
            manufacturer           = COALESCE(series.manufacturer, EXCLUDED.manufacturer),
            frame_of_reference_uid = COALESCE(series.frame_of_reference_uid, EXCLUDED.frame_of_reference_uid),
            last_received_at       = now()
        RETURNING id, study_id AS StudyRowId
        """;

    private const string InsertInstanceSql = """
        INSERT INTO instances (sop_instance_uid, sop_class_uid, series_id, instance_number, transfer_syntax_uid, file_path,
                               file_size, sha256, attributes, association_id)
        VALUES (@SopInstanceUid, @SopClassUid, @SeriesRowId, @InstanceNumber, @TransferSyntaxUid, @FilePath,
                @FileSize, @Sha256, COALESCE(@AttributesJson, '{}')::jsonb, @AssociationId)
        ON CONFLICT (sop_instance_uid) DO NOTHING
        RETURNING id
        """;

    /// <summary>Column list shared by the instance queries.</summary>
    internal const string InstanceColumns = """
        i.id AS Id, i.sop_instance_uid AS SopInstanceUid, i.sop_class_uid AS SopClassUid, s.series_instance_uid AS SeriesInstanceUid,
        st.study_instance_uid AS StudyInstanceUid, i.instance_number AS InstanceNumber, i.transfer_syntax_uid AS TransferSyntaxUid,
        i.file_path AS FilePath, i.file_size AS FileSize, i.sha256 AS Sha256, i.attributes::text AS AttributesJson,
        i.association_id AS AssociationId, i.received_at AS ReceivedAt, i.duplicate_count AS DuplicateCount
        """;

    private readonly NpgsqlDataSource _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));

    /// <summary>
    /// Indexes one stored instance in a single transaction (study, series, instance rows), applying
    /// <paramref name="policy"/> when the SOP Instance UID is already indexed with different content.
    /// </summary>
    public async Task<IndexResult> IndexInstanceAsync(InstanceRecord record, DuplicatePolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        Validate(record);
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        var studyRowId = await conn.ExecuteScalarAsync<long>(Command(UpsertStudySql, record, tx, cancellationToken)).ConfigureAwait(false);
        var seriesArgs = new DynamicParameters(record);
        seriesArgs.Add("StudyRowId", studyRowId);
        var series = await conn.QuerySingleAsync<(long Id, long StudyRowId)>(Command(UpsertSeriesSql, seriesArgs, tx, cancellationToken))
            .ConfigureAwait(false);

        var instanceArgs = new DynamicParameters(record);
        instanceArgs.Add("SeriesRowId", series.Id);
        var newId = await conn.ExecuteScalarAsync<long?>(Command(InsertInstanceSql, instanceArgs, tx, cancellationToken)).ConfigureAwait(false);
        IndexResult result;
        if (newId is { } id)
        {
            await conn.ExecuteAsync(Command("UPDATE series SET instance_count = instance_count + 1 WHERE id = @Id", new { series.Id }, tx, cancellationToken))
                .ConfigureAwait(false);
            result = new IndexResult(IndexOutcome.Inserted, id, series.Id, series.StudyRowId, record.FilePath, record.Sha256);
        }
        else
        {
            result = await HandleDuplicateAsync(conn, tx, record, policy, series.Id, series.StudyRowId, cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>The indexed instance with this SOP Instance UID, or null.</summary>
    public async Task<IndexedInstance?> FindInstanceAsync(string sopInstanceUid, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await conn.QuerySingleOrDefaultAsync<IndexedInstance>(Command(
            $"SELECT {InstanceColumns} FROM instances i JOIN series s ON s.id = i.series_id JOIN studies st ON st.id = s.study_id WHERE i.sop_instance_uid = @sopInstanceUid",
            new { sopInstanceUid },
            null,
            cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The instances of a series, ordered by instance number then SOP Instance UID.</summary>
    public async Task<IReadOnlyList<IndexedInstance>> GetSeriesInstancesAsync(string seriesInstanceUid, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await conn.QueryAsync<IndexedInstance>(Command(
            $"""
            SELECT {InstanceColumns} FROM instances i JOIN series s ON s.id = i.series_id JOIN studies st ON st.id = s.study_id
            WHERE s.series_instance_uid = @seriesInstanceUid ORDER BY i.instance_number NULLS LAST, i.sop_instance_uid
            """,
            new { seriesInstanceUid },
            null,
            cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    /// <summary>A series with its study's keys, or null.</summary>
    public async Task<IndexedSeries?> FindSeriesAsync(string seriesInstanceUid, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await conn.QuerySingleOrDefaultAsync<IndexedSeries>(Command(
            $"SELECT {IndexedSeries.Columns} FROM series s JOIN studies st ON st.id = s.study_id WHERE s.series_instance_uid = @seriesInstanceUid",
            new { seriesInstanceUid },
            null,
            cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// Series that received no instance for at least <paramref name="quietFor"/> and that nobody routed yet
    /// (<see cref="MarkSeriesRoutedAsync"/>): the "series is complete" candidates, oldest first. Survives restarts.
    /// </summary>
    public async Task<IReadOnlyList<IndexedSeries>> GetQuietUnroutedSeriesAsync(TimeSpan quietFor, int limit, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await conn.QueryAsync<IndexedSeries>(Command(
            $"""
            SELECT {IndexedSeries.Columns} FROM series s JOIN studies st ON st.id = s.study_id
            WHERE s.routed_at IS NULL AND s.last_received_at <= now() - @quietSeconds * interval '1 second'
            ORDER BY s.last_received_at LIMIT @limit
            """,
            new { quietSeconds = quietFor.TotalSeconds, limit },
            null,
            cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    /// <summary>
    /// Marks a series as routed (rules evaluated). Returns false when another agent process did it first, so only one
    /// process acts on a completed series. An instance arriving later clears the mark (see migration 0002).
    /// </summary>
    public async Task<bool> MarkSeriesRoutedAsync(long seriesId, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var n = await conn.ExecuteAsync(Command(
            "UPDATE series SET routed_at = now() WHERE id = @seriesId AND routed_at IS NULL",
            new { seriesId },
            null,
            cancellationToken)).ConfigureAwait(false);
        return n == 1;
    }

    /// <summary>Number of indexed instances (all, or those of one association).</summary>
    public async Task<long> CountInstancesAsync(long? associationId, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await conn.ExecuteScalarAsync<long>(Command(
            "SELECT count(*) FROM instances WHERE @associationId::bigint IS NULL OR association_id = @associationId",
            new { associationId },
            null,
            cancellationToken)).ConfigureAwait(false);
    }

    private static async Task<IndexResult> HandleDuplicateAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, InstanceRecord record, DuplicatePolicy policy, long seriesId, long studyId, CancellationToken ct)
    {
        var existing = await conn.QuerySingleAsync<(long Id, long SeriesId, string Sha256, string FilePath)>(Command(
            "SELECT id, series_id, sha256, file_path FROM instances WHERE sop_instance_uid = @SopInstanceUid FOR UPDATE",
            record,
            tx,
            ct)).ConfigureAwait(false);

        IndexOutcome outcome;
        if (string.Equals(existing.Sha256, record.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            outcome = IndexOutcome.IdenticalDuplicate;
        }
        else if (policy == DuplicatePolicy.KeepFirst)
        {
            outcome = IndexOutcome.ConflictKeptFirst;
        }
        else
        {
            outcome = IndexOutcome.ConflictOverwritten;
        }

        await conn.ExecuteAsync(Command(
            """
            UPDATE instances SET duplicate_count = duplicate_count + 1, last_duplicate_at = now() WHERE id = @Id;
            INSERT INTO instance_duplicates (instance_id, association_id, sha256, file_size, outcome)
            VALUES (@Id, @AssociationId, @Sha256, @FileSize, @Outcome);
            """,
            new
            {
                existing.Id,
                record.AssociationId,
                record.Sha256,
                record.FileSize,
                Outcome = outcome switch
                {
                    IndexOutcome.IdenticalDuplicate => "identical",
                    IndexOutcome.ConflictKeptFirst => "conflict_kept_first",
                    _ => "conflict_overwritten",
                },
            },
            tx,
            ct)).ConfigureAwait(false);

        if (outcome != IndexOutcome.ConflictOverwritten)
        {
            var existingStudy = await conn.ExecuteScalarAsync<long>(Command("SELECT study_id FROM series WHERE id = @SeriesId", new { existing.SeriesId }, tx, ct))
                .ConfigureAwait(false);
            return new IndexResult(outcome, existing.Id, existing.SeriesId, existingStudy, existing.FilePath, existing.Sha256);
        }

        var args = new DynamicParameters(record);
        args.Add("Id", existing.Id);
        args.Add("SeriesRowId", seriesId);
        args.Add("OldSeriesId", existing.SeriesId);
        await conn.ExecuteAsync(Command(
            """
            UPDATE instances SET sop_class_uid = @SopClassUid, series_id = @SeriesRowId, instance_number = @InstanceNumber,
                   transfer_syntax_uid = @TransferSyntaxUid, file_path = @FilePath, file_size = @FileSize, sha256 = @Sha256,
                   attributes = COALESCE(@AttributesJson, '{}')::jsonb, association_id = @AssociationId, received_at = now()
            WHERE id = @Id;
            UPDATE series SET instance_count = instance_count - 1 WHERE id = @OldSeriesId AND @OldSeriesId <> @SeriesRowId;
            UPDATE series SET instance_count = instance_count + 1 WHERE id = @SeriesRowId AND @OldSeriesId <> @SeriesRowId;
            """,
            args,
            tx,
            ct)).ConfigureAwait(false);
        return new IndexResult(outcome, existing.Id, seriesId, studyId, record.FilePath, record.Sha256);
    }

    private static CommandDefinition Command(string sql, object? args, NpgsqlTransaction? tx, CancellationToken ct) =>
        new(sql, args, tx, cancellationToken: ct);

    private static void Validate(InstanceRecord r)
    {
        RequireUid(r.StudyInstanceUid, nameof(r.StudyInstanceUid));
        RequireUid(r.SeriesInstanceUid, nameof(r.SeriesInstanceUid));
        RequireUid(r.SopInstanceUid, nameof(r.SopInstanceUid));
        RequireUid(r.SopClassUid, nameof(r.SopClassUid));
        RequireUid(r.TransferSyntaxUid, nameof(r.TransferSyntaxUid));
        if (string.IsNullOrEmpty(r.FilePath))
        {
            throw new ArgumentException("FilePath is required", nameof(r));
        }

        if (r.FileSize < 0)
        {
            throw new ArgumentException("FileSize must be >= 0", nameof(r));
        }

        if (r.Sha256.Length != 64 || !r.Sha256.All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException("Sha256 must be 64 hex digits", nameof(r));
        }
    }

    private static void RequireUid(string value, string name)
    {
        // DICOM UI: digits and dots, at most 64 characters. The index never stores anything else as a key.
        if (string.IsNullOrEmpty(value) || value.Length > 64 || !value.All(c => c == '.' || char.IsAsciiDigit(c)))
        {
            throw new ArgumentException($"{name} '{value}' is not a valid DICOM UID", name);
        }
    }
}
