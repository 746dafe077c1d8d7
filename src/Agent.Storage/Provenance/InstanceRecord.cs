namespace Agent.Storage.Provenance;

/// <summary>
/// What the index keeps of one received SOP instance: its place in the patient/study/series hierarchy, the
/// attributes routing rules look at, and where the durable instance store put the file.
/// Plain values only (this project does not depend on the DICOM layers): the caller extracts them.
/// </summary>
public sealed class InstanceRecord
{
    public required string StudyInstanceUid { get; init; }

    public required string SeriesInstanceUid { get; init; }

    public required string SopInstanceUid { get; init; }

    public required string SopClassUid { get; init; }

    public required string TransferSyntaxUid { get; init; }

    /// <summary>Path of the stored file (derived from validated UIDs by the instance store).</summary>
    public required string FilePath { get; init; }

    public required long FileSize { get; init; }

    /// <summary>SHA-256 of the stored file, lower-case hex: decides whether a duplicate is identical.</summary>
    public required string Sha256 { get; init; }

    public string? PatientId { get; init; }

    public string? PatientName { get; init; }

    public DateOnly? PatientBirthDate { get; init; }

    public string? PatientSex { get; init; }

    public string? AccessionNumber { get; init; }

    /// <summary>Study ID (0020,0010), not a database id.</summary>
    public string? StudyId { get; init; }

    public DateOnly? StudyDate { get; init; }

    public string? StudyTime { get; init; }

    public string? StudyDescription { get; init; }

    public string? Modality { get; init; }

    public string? BodyPartExamined { get; init; }

    public string? SeriesDescription { get; init; }

    public int? SeriesNumber { get; init; }

    public string? ProtocolName { get; init; }

    public string? Manufacturer { get; init; }

    public string? FrameOfReferenceUid { get; init; }

    public int? InstanceNumber { get; init; }

    /// <summary>Selected attributes for rules as a JSON object (keyword to value); null stores <c>{}</c>.</summary>
    public string? AttributesJson { get; init; }

    /// <summary>The association that delivered it (from <see cref="AssociationRepository.StartAsync"/>), if any.</summary>
    public long? AssociationId { get; init; }
}
