using System.Globalization;

namespace Agent.Dicom.Generator;

/// <summary>
/// Renders private-dictionary.tsv (creator, group or "70xx" block, element low byte, VR, VM, name) into the private
/// entry table of <c>DicomDictionary</c>. An entry's tag is (group, 00ee) with a mask that ignores the block byte, so
/// (0019,10ee) and (0019,11ee) both match whichever block the creator reserved.
/// </summary>
internal static class PrivateDictionaryRenderer
{
    internal sealed record Row(string Creator, TagPattern Tag, string[] VRs, string VM, string Name);

    public static IReadOnlyList<Row> Read(string tsv)
    {
        const string file = "private-dictionary.tsv";
        var rows = new List<Row>();
        var seen = new HashSet<(string, TagPattern)>();
        foreach (var f in Tsv.Parse(tsv, 6, file))
        {
            var where = $"{file} {f[0]} {f[1]} {f[2]}";
            if (f[2].Length != 2 || !byte.TryParse(f[2], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _))
                throw new FormatException($"{where}: element must be two hex digits");
            var tag = TagPattern.Parse(f[1] + "xx" + f[2], where);
            if (((tag.Tag >> 16) & 1) == 0 && ((tag.Mask >> 16) & 0xF) != 0) throw new FormatException($"{where}: private group must be odd");
            var vrs = VRs.Parse(f[3], where);
            if (vrs.Length == 0) throw new FormatException($"{where}: private element needs a VR");
            VRs.ValidateVM(f[4], where);
            if (!seen.Add((f[0], tag))) throw new FormatException($"{where}: duplicate entry");
            rows.Add(new Row(f[0], tag, vrs, f[4], f[5]));
        }
        return rows;
    }

    public static string Render(IReadOnlyList<Row> rows)
    {
        var w = new CSharp.Writer();
        w.Line(CSharp.Header).Line("namespace Agent.Dicom;").Line()
            .Line("public static partial class DicomDictionary")
            .Line("{")
            .Line($"    private const int GeneratedPrivateEntryCount = {rows.Count};").Line()
            .Line("    // One entry per line: creator|tag|mask|VRs ('/'-separated)|VM|name. Parsed on the first private lookup.")
            .Line("    private const string GeneratedPrivateTable = \"\"\"");
        foreach (var r in rows)
            w.Line("        " + Table.Row(r.Creator, CSharp.Hex8(r.Tag.Tag)[2..], CSharp.Hex8(r.Tag.Mask)[2..], Table.VRs(r.VRs), r.VM, r.Name));
        w.Line("        \"\"\";").Line("}");
        return w.ToString();
    }
}
