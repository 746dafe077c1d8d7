using System.Globalization;

namespace Agent.Dicom.Generator;

/// <summary>
/// Renders private-dictionary.tsv (creator, group or "70xx" block, element low byte, VR, VM, name) into the private
/// entry table of <c>DicomDictionary</c>. An entry's tag is (group, 00ee) with a mask that ignores the block byte, so
/// (0019,10ee) and (0019,11ee) both match whichever block the creator reserved.
/// </summary>
internal static class PrivateDictionaryRenderer
{
    private const int EntriesPerMethod = 400;

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
            .Line("    private static PrivateEntry[] CreateGeneratedPrivateEntries()")
            .Line("    {")
            .Line("        var e = new PrivateEntry[GeneratedPrivateEntryCount];");
        var methods = (rows.Count + EntriesPerMethod - 1) / EntriesPerMethod;
        for (var m = 0; m < methods; m++) w.Line($"        FillPrivate{m}(e);");
        w.Line("        return e;").Line("    }");
        for (var m = 0; m < methods; m++)
        {
            w.Line().Line($"    private static void FillPrivate{m}(PrivateEntry[] e)").Line("    {");
            for (var i = m * EntriesPerMethod; i < Math.Min(rows.Count, (m + 1) * EntriesPerMethod); i++)
            {
                var r = rows[i];
                w.Line($"        e[{i}] = new({CSharp.Literal(r.Creator)}, new({CSharp.Hex8(r.Tag.Tag)}, {CSharp.Hex8(r.Tag.Mask)}, " +
                       $"GeneratedPrivateVRs.{VRs.FieldName(r.VRs)}, {CSharp.Literal(r.VM)}, \"\", {CSharp.Literal(r.Name)}, false));");
            }
            w.Line("    }");
        }
        w.Line().Line("    /// <summary>Shared VR arrays, one per combination used (never mutate them).</summary>")
            .Line("    private static class GeneratedPrivateVRs")
            .Line("    {");
        VRs.WriteFields(w, rows.Select(r => r.VRs));
        w.Line("    }").Line("}");
        return w.ToString();
    }
}
