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
/// <param name="dataSource">The pooled data source.</param>
/// <param name="asynchronousCommit">
/// Commit the index row with <c>synchronous_commit = off</c> (this transaction only): the commit returns before its
/// WAL record is flushed, so a crash of the database server (not of the agent) may lose the last few hundred
/// milliseconds of rows. Safe only for a caller whose data is durable elsewhere and re-indexed after a crash, as the
/// agent's ingest is: the file is fsynced and renamed before the row is written, and start-up reconciliation indexes
/// every stored file without a row. Saves one WAL fsync per received instance.
/// </param>
public sealed class InstanceIndex(NpgsqlDataSource dataSource, bool asynchronousCommit = false)
{
    // SET LOCAL lasts until the end of the implicit transaction of the batch below (one Sync), i.e. its commit.
    private const string AsynchronousCommitSql = "SET LOCAL synchronous_commit = off;\n";

    // One round trip, one implicit transaction (Npgsql sends the statements as a batch with a single Sync).
    // Existing study/series rows are neither locked nor updated unless an attribute is still null, so concurrent
    // receivers of one series do not queue behind each other's commits.
    private const string IndexSql = """
        INSERT INTO studies (study_instance_uid, patient_id, patient_name, patient_birth_date, patient_sex, accession_number,
                             study_id, study_date, study_time, study_description)
        VALUES (@StudyInstanceUid, @PatientId, @PatientName, @PatientBirthDate, @PatientSex, @AccessionNumber,
                @StudyId, @StudyDate, @StudyTime, @StudyDescription)
        ON CONFLICT (study_instance_uid) DO NOTHING;
        UPDATE studies SET
            patient_id         = COALESCE(patient_id, @PatientId),
            patient_name       = COALESCE(patient_name, @PatientName),
            patient_birth_date = COALESCE(patient_birth_date, @PatientBirthDate),
            patient_sex        = COALESCE(patient_sex, @PatientSex),
            accession_number   = COALESCE(accession_number, @AccessionNumber),
            study_id           = COALESCE(study_id, @StudyId),
            study_date         = COALESCE(study_date, @StudyDate),
            study_time         = COALESCE(study_time, @StudyTime),
            study_description  = COALESCE(study_description, @StudyDescription)
        WHERE study_instance_uid = @StudyInstanceUid
          AND ((patient_id IS NULL AND @PatientId::text IS NOT NULL) OR (patient_name IS NULL AND @PatientName::text IS NOT NULL)
            OR (patient_birth_date IS NULL AND @PatientBirthDate::date IS NOT NULL) OR (patient_sex IS NULL AND @PatientSex::text IS NOT NULL)
            OR (accession_number IS NULL AND @AccessionNumber::text IS NOT NULL) OR (study_id IS NULL AND @StudyId::text IS NOT NULL)
            OR (study_date IS NULL AND @StudyDate::date IS NOT NULL) OR (study_time IS NULL AND @StudyTime::text IS NOT NULL)
            OR (study_description IS NULL AND @StudyDescription::text IS NOT NULL));
        INSERT INTO series (series_instance_uid, study_id, modality, body_part_examined, series_description, series_number,
                            protocol_name, manufacturer, frame_of_reference_uid)
        SELECT @SeriesInstanceUid, id, @Modality, @BodyPartExamined, @SeriesDescription, @SeriesNumber,
               @ProtocolName, @Manufacturer, @FrameOfReferenceUid
        FROM studies WHERE study_instance_uid = @StudyInstanceUid
        ON CONFLICT (series_instance_uid) DO NOTHING;
        UPDATE series SET
            modality               = COALESCE(modality, @Modality),
            body_part_examined     = COALESCE(body_part_examined, @BodyPartExamined),
            series_description     = COALESCE(series_description, @SeriesDescription),
            series_number          = COALESCE(series_number, @SeriesNumber),
            protocol_name          = COALESCE(protocol_name, @ProtocolName),
            manufacturer           = COALESCE(manufacturer, @Manufacturer),
            frame_of_reference_uid = COALESCE(frame_of_reference_uid, @FrameOfReferenceUid)
        WHERE series_instance_uid = @SeriesInstanceUid
          AND ((modality IS NULL AND @Modality::text IS NOT NULL) OR (body_part_examined IS NULL AND @BodyPartExamined::text IS NOT NULL)
            OR (series_description IS NULL AND @SeriesDescription::text IS NOT NULL) OR (series_number IS NULL AND @SeriesNumber::integer IS NOT NULL)
            OR (protocol_name IS NULL AND @ProtocolName::text IS NOT NULL) OR (manufacturer IS NULL AND @Manufacturer::text IS NOT NULL)
            OR (frame_of_reference_uid IS NULL AND @FrameOfReferenceUid::text IS NOT NULL));
        WITH s AS (SELECT id, study_id FROM series WHERE series_instance_uid = @SeriesInstanceUid),
        ins AS (
            INSERT INTO instances (sop_instance_uid, sop_class_uid, series_id, instance_number, transfer_syntax_uid, file_path,
                                   file_size, sha256, attributes, association_id)
            SELECT @SopInstanceUid, @SopClassUid, s.id, @InstanceNumber, @TransferSyntaxUid, @FilePath,
                   @FileSize, @Sha256, COALESCE(@AttributesJson, '{}')::jsonb, @AssociationId
            FROM s
            ON CONFLICT (sop_instance_uid) DO NOTHING
            RETURNING id)
        SELECT s.id AS SeriesId, s.study_id AS StudyId, (SELECT id FROM ins) AS InstanceId FROM s
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
        var sql = asynchronousCommit ? AsynchronousCommitSql + IndexSql : IndexSql;
        var row = await conn.QuerySingleAsync<(long SeriesId, long StudyId, long? InstanceId)>(Command(sql, record, null, cancellationToken))
            .ConfigureAwait(false);
        if (row.InstanceId is { } id)
        {
            return new IndexResult(IndexOutcome.Inserted, id, row.SeriesId, row.StudyId, record.FilePath, record.Sha256);
        }

        // Duplicate SOP Instance UID: rare, so a separate transaction that locks the existing row.
        await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (asynchronousCommit) await conn.ExecuteAsync(Command(AsynchronousCommitSql, null, tx, cancellationToken)).ConfigureAwait(false);
        var result = await HandleDuplicateAsync(conn, tx, record, policy, row.SeriesId, row.StudyId, cancellationToken).ConfigureAwait(false);
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
            WHERE s.routed_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM instances i WHERE i.series_id = s.id AND i.received_at > now() - @quietSeconds * interval '1 second')
              AND EXISTS (SELECT 1 FROM instances i WHERE i.series_id = s.id)
            ORDER BY s.id LIMIT @limit
            """,
            new { quietSeconds = quietFor.TotalSeconds, limit },
            null,
            cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    /// <summary>
    /// Marks a series as routed (rules evaluated). Returns false when another agent process did it first, so only one
    /// process acts on a completed series. An instance arriving later clears the mark (see migration 0002).
    /// Prefer <see cref="SeriesRouting.RouteAsync"/>, which claims the series and enqueues its jobs atomically
    /// (a crash between a separate claim and enqueue would lose the series' work).
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
        await conn.ExecuteAsync(Command(
            """
            UPDATE instances SET sop_class_uid = @SopClassUid, series_id = @SeriesRowId, instance_number = @InstanceNumber,
                   transfer_syntax_uid = @TransferSyntaxUid, file_path = @FilePath, file_size = @FileSize, sha256 = @Sha256,
                   attributes = COALESCE(@AttributesJson, '{}')::jsonb, association_id = @AssociationId, received_at = now()
            WHERE id = @Id
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
