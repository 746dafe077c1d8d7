using System.Globalization;

namespace Agent.Dicom;

/// <summary>
/// Parses the '|'-separated tables that src/Agent.Dicom.Generator writes into DicomDictionary*.Generated.cs. The
/// generator validated every field, so a failure here means a hand-edited generated file: it fails loudly.
/// </summary>
internal static class DictionaryTable
{
    public static IEnumerable<string[]> Rows(string table, int columns)
    {
        foreach (var raw in table.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0) continue;
            var fields = line.Split('|');
            if (fields.Length != columns) throw new InvalidOperationException($"generated dictionary line has {fields.Length} fields: {line}");
            yield return fields;
        }
    }

    public static uint Hex(string text) => uint.Parse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    public static string Text(string field) => field == "-" ? "" : field;

    /// <summary>"OB/OW" -> [OB, OW]; identical combinations share one array (never mutated).</summary>
    public static DicomVR[] VRs(string field, Dictionary<string, DicomVR[]> shared)
    {
        if (shared.TryGetValue(field, out var vrs)) return vrs;
        vrs = field == "-" ? [] : field.Split('/').Select(DicomVR.Parse).ToArray();
        shared[field] = vrs;
        return vrs;
    }
}
