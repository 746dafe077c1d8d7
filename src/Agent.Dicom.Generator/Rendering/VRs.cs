namespace Agent.Dicom.Generator;

/// <summary>Turns PS3.6 VR wording ("OB or OW", "US or SS or OW", "NONE") into VR codes, rejecting unknown ones.</summary>
internal static class VRs
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT", "OB", "OD", "OF", "OL", "OV", "OW", "PN",
        "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN", "UR", "US", "UT", "UV",
    };

    public static string[] Parse(string text, string where)
    {
        if (text == "NONE") return [];
        var codes = text.Split(" or ", StringSplitOptions.TrimEntries);
        foreach (var code in codes)
            if (!Known.Contains(code)) throw new FormatException($"{where}: unknown VR '{code}' in '{text}'");
        return codes;
    }

    /// <summary>Name of the shared array field holding these VRs, e.g. ["OB","OW"] -> "OBorOW", [] -> "None".</summary>
    public static string FieldName(string[] codes) => codes.Length == 0 ? "None" : string.Join("or", codes);

    public static string Initializer(string[] codes) =>
        "[" + string.Join(", ", codes.Select(c => "DicomVR." + c)) + "]";

    public static void ValidateVM(string vm, string where)
    {
        // PS3.6 forms: "1", "1-3", "1-n", "2-2n", "3-n".
        var parts = vm.Split('-');
        var ok = parts.Length is 1 or 2 && parts[0].Length > 0 && parts[0].All(char.IsAsciiDigit) &&
                 (parts.Length == 1 || (parts[1].Length > 0 && (parts[1].All(char.IsAsciiDigit) ||
                  (parts[1][^1] == 'n' && parts[1][..^1].All(char.IsAsciiDigit)))));
        if (!ok) throw new FormatException($"{where}: invalid VM '{vm}'");
    }

    /// <summary>One shared array field per distinct combination, in a stable order.</summary>
    public static void WriteFields(CSharp.Writer w, IEnumerable<string[]> used)
    {
        foreach (var vrs in used.DistinctBy(FieldName).OrderBy(FieldName, StringComparer.Ordinal))
            w.Line($"        public static readonly DicomVR[] {FieldName(vrs)} = {Initializer(vrs)};");
    }
}
