using Agent.Dicom;

namespace Agent.Host.Reanalysis;

/// <summary>
/// A re-analysis C-FIND: matching keys split into study-level ones (asked at STUDY level first) and series-level ones
/// (asked at SERIES level within each matching study), so it works with PACSes that only do hierarchical queries.
/// </summary>
public sealed class ReanalysisQuery
{
    // Patient and study attributes a study-root PACS matches at STUDY level; every other key is asked per series.
    private static readonly HashSet<DicomTag> StudyLevel =
    [
        DicomTags.PatientID, DicomTags.PatientName, DicomTags.PatientBirthDate, DicomTags.PatientSex, DicomTags.StudyDate,
        DicomTags.StudyTime, DicomTags.AccessionNumber, DicomTags.StudyID, DicomTags.StudyDescription,
        DicomTags.ReferringPhysicianName, DicomTags.StudyInstanceUID, DicomTags.ModalitiesInStudy,
    ];

    private ReanalysisQuery(IReadOnlyList<(DicomTag Tag, string Value)> keys) => Keys = keys;

    /// <summary>Matching keys with their (resolved) values, in configuration order.</summary>
    public IReadOnlyList<(DicomTag Tag, string Value)> Keys { get; }

    /// <summary>
    /// Parses keyword (or gggg,eeee) = value pairs; a relative StudyDate is resolved against <paramref name="today"/>.
    /// Errors name the key, prefixed by <paramref name="path"/> (the configuration path or "--query").
    /// </summary>
    public static (ReanalysisQuery? Query, IReadOnlyList<string> Errors) Parse(IEnumerable<KeyValuePair<string, string>> pairs, DateOnly today, string path)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var errors = new List<string>();
        var keys = new List<(DicomTag, string)>();
        foreach (var (name, raw) in pairs)
        {
            var key = $"{path}:{name}";
            if (!DicomDictionary.TryParseTag(name.Trim(), out var tag))
            {
                errors.Add($"{key}: '{name}' is neither a DICOM keyword nor a tag (gggg,eeee)");
                continue;
            }
            var vr = DicomDictionary.DefaultVR(tag);
            if (vr == DicomVR.SQ || vr == DicomVR.UN)
            {
                errors.Add($"{key}: {name} cannot be a C-FIND matching key");
                continue;
            }
            var value = raw?.Trim() ?? "";
            if (tag == DicomTags.StudyDate)
            {
                var (range, error) = StudyDateRange.Resolve(value, today);
                if (error is not null)
                {
                    errors.Add($"{key} {error}");
                    continue;
                }
                value = range!;
            }
            else if (value.Length == 0)
            {
                errors.Add($"{key}: a matching value is required (an empty value would match everything)");
                continue;
            }
            if (keys.Any(k => k.Item1 == tag))
            {
                errors.Add($"{key}: {name} is given twice");
                continue;
            }
            keys.Add((tag, value));
        }
        return errors.Count > 0 ? (null, errors) : (new ReanalysisQuery(keys), errors);
    }

    /// <summary>The query as keyword -> value (what a run records and its job carries).</summary>
    public Dictionary<string, string> ToDictionary() =>
        Keys.ToDictionary(k => DicomDictionary.Keyword(k.Tag), k => k.Value, StringComparer.Ordinal);

    /// <summary>STUDY-level identifier: the study keys plus the Study Instance UID to return.</summary>
    public DicomDataset StudyIdentifier()
    {
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, []);
        foreach (var (tag, value) in Keys.Where(k => StudyLevel.Contains(k.Tag))) identifier.AddOrUpdate(tag, DicomDictionary.DefaultVR(tag), [value]);
        return identifier;
    }

    /// <summary>SERIES-level identifier within one study: the series keys plus what a run records of each series.</summary>
    public DicomDataset SeriesIdentifier(string studyInstanceUid)
    {
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, [studyInstanceUid]);
        foreach (var tag in (DicomTag[])[DicomTags.SeriesInstanceUID, DicomTags.Modality, DicomTags.SeriesDescription, DicomTags.SeriesNumber, DicomTags.NumberOfSeriesRelatedInstances])
            identifier.AddOrUpdate(tag, DicomDictionary.DefaultVR(tag), []);
        foreach (var (tag, value) in Keys.Where(k => !StudyLevel.Contains(k.Tag))) identifier.AddOrUpdate(tag, DicomDictionary.DefaultVR(tag), [value]);
        return identifier;
    }
}
