namespace Agent.Dicom.Generator;

/// <summary>The '|'-separated line format of the generated tables, which DictionaryTable in Agent.Dicom parses.</summary>
internal static class Table
{
    public static string Row(params string[] fields)
    {
        foreach (var f in fields)
            if (f.Contains('|', StringComparison.Ordinal) || f.Contains('\n', StringComparison.Ordinal) ||
                f.Contains('"', StringComparison.Ordinal) || f.Length == 0 || f != f.Trim())
                throw new FormatException($"table field '{f}' is empty, padded, or contains '|', a quote or a newline");
        return string.Join('|', fields);
    }

    public static string OrDash(string field) => field.Length == 0 ? "-" : field;

    public static string VRs(string[] codes) => codes.Length == 0 ? "-" : string.Join('/', codes);
}
