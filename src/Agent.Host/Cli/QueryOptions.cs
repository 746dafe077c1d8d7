using System.CommandLine;
using Agent.Dicom;
using Agent.Dicom.Network.Dimse;

namespace Agent.Host.Cli;

/// <summary>The Q/R level and matching keys shared by <c>find</c> and <c>move</c>.</summary>
internal sealed class QueryOptions
{
    public Option<QueryRetrieveLevel> Level { get; } = new("--level", "-L")
    {
        Description = "Query/retrieve level (study root information model)", DefaultValueFactory = _ => QueryRetrieveLevel.Study,
    };

    public Option<string[]> Keys { get; } = new("--key", "-k")
    {
        Description = "Matching or return key: Keyword=value, Keyword (return only), or gggg,eeee=value", AllowMultipleArgumentsPerToken = false,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Level);
        command.Options.Add(Keys);
    }

    /// <summary>Return keys asked for by default at each level, so a bare query shows something useful.</summary>
    public static IReadOnlyList<DicomTag> DefaultReturnKeys(QueryRetrieveLevel level) => level switch
    {
        QueryRetrieveLevel.Patient => [DicomTags.PatientID, DicomTags.PatientName, DicomTags.PatientBirthDate],
        QueryRetrieveLevel.Study => [DicomTags.PatientID, DicomTags.PatientName, DicomTags.StudyDate, DicomTags.AccessionNumber, DicomTags.StudyDescription, DicomTags.StudyInstanceUID],
        QueryRetrieveLevel.Series => [DicomTags.StudyInstanceUID, DicomTags.SeriesNumber, DicomTags.Modality, DicomTags.SeriesDescription, DicomTags.SeriesInstanceUID],
        _ => [DicomTags.SeriesInstanceUID, DicomTags.InstanceNumber, DicomTags.SOPClassUID, DicomTags.SOPInstanceUID],
    };

    /// <summary>The identifier (keys in the order to print them), or the usage error.</summary>
    public (DicomDataset? Identifier, IReadOnlyList<DicomTag> Columns, string? Error) Build(ParseResult parse)
    {
        var level = parse.GetValue(Level);
        var identifier = new DicomDataset();
        var columns = new List<DicomTag>(DefaultReturnKeys(level));
        foreach (var tag in columns) identifier.AddOrUpdate(tag, DicomDictionary.DefaultVR(tag), []);
        foreach (var key in parse.GetValue(Keys) ?? [])
        {
            var eq = key.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? key : key[..eq];
            var value = eq < 0 ? "" : key[(eq + 1)..];
            if (!DicomDictionary.TryParseTag(name, out var tag))
                return (null, columns, $"--key {key}: '{name}' is neither a DICOM keyword nor a tag");
            var vr = DicomDictionary.DefaultVR(tag);
            if (vr == DicomVR.SQ || vr == DicomVR.UN)
                return (null, columns, $"--key {key}: {name} cannot be used as a query key here");
            identifier.AddOrUpdate(tag, vr, value.Length == 0 ? [] : [value]);
            if (!columns.Contains(tag)) columns.Add(tag);
        }
        return (identifier, columns, null);
    }
}
