namespace Agent.Storage.Provenance;

/// <summary>A series with the keys and attributes routing rules use.</summary>
public sealed class IndexedSeries
{
    internal const string Columns = """
        s.id AS Id, s.series_instance_uid AS SeriesInstanceUid, st.id AS StudyRowId, st.study_instance_uid AS StudyInstanceUid,
        st.patient_id AS PatientId, st.patient_name AS PatientName, st.accession_number AS AccessionNumber,
        st.study_date AS StudyDate, st.study_description AS StudyDescription, s.modality AS Modality,
        s.body_part_examined AS BodyPartExamined, s.series_description AS SeriesDescription, s.series_number AS SeriesNumber,
        s.protocol_name AS ProtocolName, s.manufacturer AS Manufacturer, s.frame_of_reference_uid AS FrameOfReferenceUid,
        (SELECT count(*) FROM instances i WHERE i.series_id = s.id)::int AS InstanceCount, s.first_received_at AS FirstReceivedAt,
        (SELECT max(i.received_at) FROM instances i WHERE i.series_id = s.id) AS LastReceivedAt,
        s.routed_at AS RoutedAt
        """;

    /// <summary>Database id of the series row.</summary>
    public long Id { get; init; }

    public string SeriesInstanceUid { get; init; } = "";

    /// <summary>Database id of the study row.</summary>
    public long StudyRowId { get; init; }

    public string StudyInstanceUid { get; init; } = "";

    public string? PatientId { get; init; }

    public string? PatientName { get; init; }

    public string? AccessionNumber { get; init; }

    public DateTime? StudyDate { get; init; }

    public string? StudyDescription { get; init; }

    public string? Modality { get; init; }

    public string? BodyPartExamined { get; init; }

    public string? SeriesDescription { get; init; }

    public int? SeriesNumber { get; init; }

    public string? ProtocolName { get; init; }

    public string? Manufacturer { get; init; }

    public string? FrameOfReferenceUid { get; init; }

    public int InstanceCount { get; init; }

    /// <summary>UTC.</summary>
    public DateTime FirstReceivedAt { get; init; }

    /// <summary>UTC; arrival of the newest instance (null for a series without instances).</summary>
    public DateTime? LastReceivedAt { get; init; }

    /// <summary>UTC; null until routed.</summary>
    public DateTime? RoutedAt { get; init; }
}
