namespace Agent.Dicom.Generator;

/// <summary>Renders uid-registry.tsv (UID, name, keyword, type, retired) into <c>DicomUids</c>.</summary>
internal static class UidRenderer
{
    /// <summary>PS3.6 Annex A "UID Type" wording -> DicomUidType member; an unknown type fails generation.</summary>
    private static readonly Dictionary<string, string> Types = new(StringComparer.Ordinal)
    {
        ["SOP Class"] = "SopClass",
        ["Meta SOP Class"] = "MetaSopClass",
        ["Transfer Syntax"] = "TransferSyntax",
        ["Service Class"] = "ServiceClass",
        ["Well-known SOP Instance"] = "WellKnownSopInstance",
        ["Well-known Printer SOP Instance"] = "WellKnownPrinterSopInstance",
        ["Well-known Print Queue SOP Instance"] = "WellKnownPrintQueueSopInstance",
        ["Well-known frame of reference"] = "WellKnownFrameOfReference",
        ["Synchronization Frame of Reference"] = "SynchronizationFrameOfReference",
        ["Coding Scheme"] = "CodingScheme",
        ["DICOM UIDs as a Coding Scheme"] = "DicomUidsAsCodingScheme",
        ["Application Context Name"] = "ApplicationContextName",
        ["Application Hosting Model"] = "ApplicationHostingModel",
        ["Mapping Resource"] = "MappingResource",
        ["LDAP OID"] = "LdapOid",
    };

    internal sealed record Row(string Uid, string Name, string Keyword, string Type, bool IsRetired);

    public static IReadOnlyList<Row> Read(string tsv)
    {
        const string file = "uid-registry.tsv";
        var rows = new List<Row>();
        var keywords = new HashSet<string>(StringComparer.Ordinal);
        var uids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in Tsv.Parse(tsv, 5, file))
        {
            var where = $"{file} {f[0]}";
            if (f[0].Length is 0 or > 64 || !f[0].All(c => c == '.' || char.IsAsciiDigit(c))) throw new FormatException($"{where}: invalid UID");
            if (!uids.Add(f[0])) throw new FormatException($"{where}: duplicate UID");
            if (f[2].Length > 0 && !CSharp.IsIdentifier(f[2])) throw new FormatException($"{where}: keyword '{f[2]}' is not an identifier");
            if (f[2].Length > 0 && !keywords.Add(f[2])) throw new FormatException($"{where}: duplicate keyword '{f[2]}'");
            if (!Types.TryGetValue(f[3], out var type)) throw new FormatException($"{where}: unknown UID type '{f[3]}'");
            if (f[4] is not ("" or "RET")) throw new FormatException($"{where}: retired column must be empty or RET");
            rows.Add(new Row(f[0], f[1], f[2], type, f[4] == "RET"));
        }
        return rows;
    }

    public static string Render(IReadOnlyList<Row> rows)
    {
        var w = new CSharp.Writer();
        w.Line(CSharp.Header).Line("namespace Agent.Dicom;").Line()
            .Line("/// <summary>The UID registry of PS3.6 Annex A: one constant per keyword, and every entry in <see cref=\"All\"/>.</summary>")
            .Line("public static partial class DicomUids")
            .Line("{");
        foreach (var r in rows.Where(r => r.Keyword.Length > 0))
        {
            w.Line($"    /// <summary>{CSharp.Xml(r.Uid)} {CSharp.Xml(r.Name)}{(r.IsRetired ? " (retired)" : "")}</summary>")
             .Line($"    public static readonly DicomUid {r.Keyword} = {New(r)};").Line();
        }
        w.Line("    /// <summary>Every registered UID, keyword-less retired ones included, in UID order.</summary>")
            .Line("    public static IReadOnlyList<DicomUid> All { get; } =")
            .Line("    [");
        foreach (var r in rows)
            w.Line($"        {(r.Keyword.Length > 0 ? r.Keyword : New(r))},");
        w.Line("    ];").Line("}").Line()
            .Line("/// <summary>The \"UID Type\" column of PS3.6 Annex A.</summary>")
            .Line("public enum DicomUidType")
            .Line("{");
        foreach (var t in Types.Values) w.Line($"    {t},");
        w.Line("}");
        return w.ToString();
    }

    private static string New(Row r) =>
        $"new({CSharp.Literal(r.Uid)}, {CSharp.Literal(r.Name)}, {CSharp.Literal(r.Keyword)}, DicomUidType.{r.Type}, {CSharp.Bool(r.IsRetired)})";
}
