namespace Agent.Host.Ingest;

/// <summary>The identifying UIDs of one instance, each already checked with <see cref="DicomUid.IsValid"/>.</summary>
public sealed record InstanceKeys(string StudyInstanceUid, string SeriesInstanceUid, string SopInstanceUid)
{
    /// <summary>Builds keys from untrusted text; null when any UID is missing or malformed.</summary>
    public static InstanceKeys? TryCreate(string? study, string? series, string? sop)
    {
        var st = DicomUid.Normalize(study);
        var se = DicomUid.Normalize(series);
        var so = DicomUid.Normalize(sop);
        return st is null || se is null || so is null ? null : new InstanceKeys(st, se, so);
    }

    /// <summary>instances/&lt;study&gt;/&lt;series&gt;/&lt;sop&gt;.dcm, relative to the data folder.</summary>
    public string RelativePath => Path.Combine("instances", StudyInstanceUid, SeriesInstanceUid, SopInstanceUid + ".dcm");
}
