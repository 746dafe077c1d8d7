namespace Agent.Dicom.Generator;

/// <summary>Reads the dictionary TSVs: '#' lines are comments, every other non-empty line is one tab-separated row.</summary>
internal static class Tsv
{
    public static IReadOnlyList<string[]> Parse(string text, int columns, string fileName)
    {
        var rows = new List<string[]>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#') continue;
            var fields = line.Split('\t');
            if (fields.Length != columns)
                throw new FormatException($"{fileName}:{lineNumber}: expected {columns} tab-separated columns, found {fields.Length}");
            rows.Add(fields);
        }
        return rows;
    }
}
