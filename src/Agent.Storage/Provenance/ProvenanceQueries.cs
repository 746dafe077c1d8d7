using Dapper;
using Npgsql;

namespace Agent.Storage.Provenance;

/// <summary>Read side of the provenance schema, for the status view and support questions.</summary>
public sealed class ProvenanceQueries(NpgsqlDataSource dataSource)
{
    private readonly NpgsqlDataSource _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));

    /// <summary>
    /// "For this study, which model version produced which output and where was it sent": rows of the
    /// <c>study_provenance</c> view (one per output and destination), oldest output first.
    /// </summary>
    public async Task<IReadOnlyList<StudyProvenanceRow>> ForStudyAsync(string studyInstanceUid, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await conn.QueryAsync<StudyProvenanceRow>(new CommandDefinition(
            """
            SELECT study_instance_uid AS StudyInstanceUid, source_series_instance_uid AS SourceSeriesInstanceUid,
                   source_modality AS SourceModality, job_id AS JobId, pipeline AS Pipeline, job_state AS JobState,
                   device AS Device, software_version AS SoftwareVersion, model_name AS ModelName, model_version AS ModelVersion,
                   model_weights_sha256 AS ModelWeightsSha256, output_id AS OutputId, output_kind AS OutputKind,
                   output_sop_instance_uid AS OutputSopInstanceUid, output_series_instance_uid AS OutputSeriesInstanceUid,
                   supersedes_output_id AS SupersedesOutputId, output_created_at AS OutputCreatedAt, destination AS Destination,
                   delivery_state AS DeliveryState, delivery_attempts AS DeliveryAttempts, delivery_dimse_status AS DeliveryDimseStatus,
                   delivery_last_error AS DeliveryLastError, delivered_at AS DeliveredAt
            FROM study_provenance WHERE study_instance_uid = @studyInstanceUid
            ORDER BY output_created_at, output_id, destination
            """,
            new { studyInstanceUid },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }
}

/// <summary>A row of the <c>study_provenance</c> view. Delivery columns are null for an output not queued for delivery.</summary>
public sealed class StudyProvenanceRow
{
    public string StudyInstanceUid { get; init; } = "";

    public string? SourceSeriesInstanceUid { get; init; }

    public string? SourceModality { get; init; }

    public long? JobId { get; init; }

    public string? Pipeline { get; init; }

    public string? JobState { get; init; }

    public string? Device { get; init; }

    public string? SoftwareVersion { get; init; }

    public string? ModelName { get; init; }

    public string? ModelVersion { get; init; }

    public string? ModelWeightsSha256 { get; init; }

    public long OutputId { get; init; }

    public string OutputKind { get; init; } = "";

    public string OutputSopInstanceUid { get; init; } = "";

    public string OutputSeriesInstanceUid { get; init; } = "";

    public long? SupersedesOutputId { get; init; }

    /// <summary>UTC.</summary>
    public DateTime OutputCreatedAt { get; init; }

    public string? Destination { get; init; }

    public string? DeliveryState { get; init; }

    public int? DeliveryAttempts { get; init; }

    public int? DeliveryDimseStatus { get; init; }

    public string? DeliveryLastError { get; init; }

    /// <summary>UTC; when the delivery finished (succeeded or finally failed).</summary>
    public DateTime? DeliveredAt { get; init; }
}
