namespace Agent.Dicom.Generator;

/// <summary>
/// Renders dicom-dictionary.tsv (tag pattern, VR, VM, keyword, name, retired) into the entry table of
/// <c>DicomDictionary</c> and the <c>DicomTags</c> constants.
/// </summary>
internal static class DictionaryRenderer
{
    internal sealed record Row(TagPattern Tag, string[] VRs, string VRText, string VM, string Keyword, string Name, bool IsRetired);

    public static IReadOnlyList<Row> Read(string tsv)
    {
        const string file = "dicom-dictionary.tsv";
        var rows = new List<Row>();
        var keywords = new HashSet<string>(StringComparer.Ordinal);
        var tags = new HashSet<TagPattern>();
        foreach (var f in Tsv.Parse(tsv, 6, file))
        {
            var where = $"{file} {f[0]}";
            var tag = TagPattern.Parse(f[0], where);
            var vrs = VRs.Parse(f[1], where);
            VRs.ValidateVM(f[2], where);
            if (f[3].Length > 0 && !CSharp.IsIdentifier(f[3])) throw new FormatException($"{where}: keyword '{f[3]}' is not an identifier");
            if (f[3].Length > 0 && !keywords.Add(f[3])) throw new FormatException($"{where}: duplicate keyword '{f[3]}'");
            if (!tags.Add(tag)) throw new FormatException($"{where}: duplicate tag");
            if (f[5] is not ("" or "RET")) throw new FormatException($"{where}: retired column must be empty or RET");
            rows.Add(new Row(tag, vrs, f[1], f[2], f[3], f[4], f[5] == "RET"));
        }
        return rows;
    }

    public static string RenderEntries(IReadOnlyList<Row> rows)
    {
        var w = new CSharp.Writer();
        w.Line(CSharp.Header).Line("namespace Agent.Dicom;").Line()
            .Line("public static partial class DicomDictionary")
            .Line("{")
            .Line($"    private const int GeneratedEntryCount = {rows.Count};").Line()
            .Line("    // One entry per line: tag|mask|VRs ('/'-separated)|VM|keyword|name|R when retired; '-' marks an empty field.")
            .Line("    // A table parsed once at startup costs a few milliseconds; the same data as 5,000 constructor calls costs")
            .Line("    // hundreds of milliseconds of JIT time.")
            .Line("    private const string GeneratedTable = \"\"\"");
        foreach (var r in rows)
            w.Line("        " + Table.Row(CSharp.Hex8(r.Tag.Tag)[2..], CSharp.Hex8(r.Tag.Mask)[2..], Table.VRs(r.VRs), r.VM, Table.OrDash(r.Keyword), Table.OrDash(r.Name), r.IsRetired ? "R" : "-"));
        w.Line("        \"\"\";").Line("}");
        return w.ToString();
    }

    public static string RenderTags(IReadOnlyList<Row> rows)
    {
        var w = new CSharp.Writer();
        w.Line(CSharp.Header).Line("namespace Agent.Dicom;").Line()
            .Line("/// <summary>")
            .Line("/// A constant for every keyword of the PS3.6 data dictionary. Repeating-group tags such as (60xx,3000)")
            .Line("/// OverlayData carry the first group of their range (0x6000); add the group offset for others, or match")
            .Line("/// them with <see cref=\"DicomDictionaryEntry.Matches\"/>. Properties rather than fields: 5,000 static fields")
            .Line("/// would cost a large static constructor at first use; these are inlined to a constant.")
            .Line("/// </summary>")
            .Line("public static partial class DicomTags")
            .Line("{");
        var first = true;
        foreach (var r in rows.Where(r => r.Keyword.Length > 0))
        {
            if (!first) w.Line();
            first = false;
            var retired = r.IsRetired ? " (retired)" : "";
            var masked = r.Tag.IsMasked ? " Repeating group: value is the base of the range." : "";
            w.Line($"    /// <summary>{r.Tag.Display} {CSharp.Xml(r.Name)}{retired}, VR {r.VRText}, VM {r.VM}.{masked}</summary>")
             .Line($"    public static DicomTag {r.Keyword} => new({CSharp.Hex8(r.Tag.Tag)});");
        }
        w.Line("}");
        return w.ToString();
    }
}
