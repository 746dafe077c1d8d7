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

    public static void ValidateVM(string vm, string where)
    {
        // PS3.6 forms: "1", "1-3", "1-n", "2-2n", "3-n".
        var parts = vm.Split('-');
        var ok = parts.Length is 1 or 2 && parts[0].Length > 0 && parts[0].All(char.IsAsciiDigit) &&
                 (parts.Length == 1 || (parts[1].Length > 0 && (parts[1].All(char.IsAsciiDigit) ||
                  (parts[1][^1] == 'n' && parts[1][..^1].All(char.IsAsciiDigit)))));
        if (!ok) throw new FormatException($"{where}: invalid VM '{vm}'");
    }
}
