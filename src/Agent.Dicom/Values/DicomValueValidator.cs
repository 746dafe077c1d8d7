using System.Globalization;

namespace Agent.Dicom;

/// <summary>
/// Checks text values against the rules of PS3.5 Table 6.2-1 (character repertoire, length, format) and reports every
/// problem as a sentence; it never throws on bad input, so readers can warn and go on.
/// </summary>
public static partial class DicomValueValidator
{
    /// <summary>
    /// Validates a whole element value (all values, backslash-separated for multi-valued VRs, padding allowed).
    /// Empty result = valid. With <paramref name="allowQueryRange"/>, DA/TM/DT accept "a-b" ranges (PS3.4 C.2.2.2.5).
    /// </summary>
    public static IReadOnlyList<string> Validate(DicomVR vr, string? value, bool allowQueryRange = false)
    {
        var problems = new List<string>();
        if (value is null || !vr.IsString) return problems;
        var values = vr.IsBackslashMultiValued ? value.Split('\\') : [value];
        for (var i = 0; i < values.Length; i++)
        {
            var prefix = values.Length > 1 ? $"value {(i + 1).ToString(CultureInfo.InvariantCulture)}: " : "";
            foreach (var p in ValidateOne(vr, values[i], allowQueryRange)) problems.Add(prefix + p);
        }
        return problems;
    }

    public static bool IsValid(DicomVR vr, string? value, bool allowQueryRange = false) => Validate(vr, value, allowQueryRange).Count == 0;

    private static IEnumerable<string> ValidateOne(DicomVR vr, string raw, bool range)
    {
        var v = DicomText.TrimValue(raw, vr);
        if (v.Length == 0) yield break;   // empty values are allowed for every string VR (type 2 attributes)
        // DA, TM and DT are checked by their format (which also bounds their length, ranges included); PN per group.
        var formatBoundsLength = vr == DicomVR.DA || vr == DicomVR.TM || vr == DicomVR.DT || vr == DicomVR.PN;
        if (vr.MaxLength > 0 && !formatBoundsLength && v.Length > vr.MaxLength)
            yield return $"{vr.Code} value is {v.Length} characters, more than the {vr.MaxLength} allowed";
        foreach (var p in Repertoire(vr, v)) yield return p;
        var format = vr.Code switch
        {
            "AS" => AgeString(v),
            "CS" => v.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c is ' ' or '_')
                ? null : $"CS value '{v}' may only hold A-Z, 0-9, space and underscore",
            "DA" => Check(range ? DicomDateTime.TryParseDateRange(v, out _, out _) : DicomDateTime.TryParseDate(v, out _),
                $"DA value '{v}' is not YYYYMMDD{(range ? " or a range" : "")}"),
            "TM" => Check(range ? DicomDateTime.TryParseTimeRange(v, out _, out _) : DicomDateTime.TryParseTime(v, out _),
                $"TM value '{v}' is not HH[MM[SS[.FFFFFF]]]{(range ? " or a range" : "")}"),
            "DT" => Check(range ? DicomDateTime.TryParseDateTimeRange(v, out _, out _) : DicomDateTime.TryParseDateTime(v, out _),
                $"DT value '{v}' is not YYYY[MM[DD[HH[MM[SS[.FFFFFF]]]]]][&ZZXX]{(range ? " or a range" : "")}"),
            "DS" => Check(DicomNumber.TryParseDecimal(v, out _) && !v.Trim(' ').Contains(' ', StringComparison.Ordinal),
                $"DS value '{v}' is not a decimal number"),
            "IS" => Check(DicomNumber.TryParseInteger(v, out _), $"IS value '{v}' is not an integer in -2^31..2^31-1"),
            "UI" => DicomUid.Problem(v),
            "PN" => PersonName(v),
            "UR" => v.StartsWith(' ') ? "UR value has leading spaces" : null,
            _ => null,
        };
        if (format is not null) yield return format;
    }

    private static string? Check(bool ok, string problem) => ok ? null : problem;

    private static string? AgeString(string v) =>
        v.Length == 4 && char.IsAsciiDigit(v[0]) && char.IsAsciiDigit(v[1]) && char.IsAsciiDigit(v[2]) && v[3] is 'D' or 'W' or 'M' or 'Y'
            ? null : $"AS value '{v}' is not nnnD, nnnW, nnnM or nnnY";

    private static string? PersonName(string v)
    {
        // PS3.5 6.2.1: up to three component groups (alphabetic, ideographic, phonetic), each up to five components
        // and 64 characters.
        var groups = v.Split('=');
        if (groups.Length > 3) return $"PN value has {groups.Length} component groups, at most 3 allowed";
        foreach (var g in groups)
        {
            if (g.Split('^').Length > 5) return $"PN component group '{g}' has more than 5 components";
            if (g.Length > 64) return $"PN component group is {g.Length} characters, more than the 64 allowed";
        }
        return null;
    }

    private static IEnumerable<string> Repertoire(DicomVR vr, string v)
    {
        // Control characters: only ESC in short strings; LT, ST, UT also allow CR, LF, FF and TAB (PS3.5 6.1.3).
        var text = vr == DicomVR.LT || vr == DicomVR.ST || vr == DicomVR.UT;
        foreach (var c in v)
        {
            if (c == '\u001b' && vr.UsesSpecificCharacterSet) continue;
            if (text && c is '\r' or '\n' or '\f' or '\t') continue;
            if (char.IsControl(c))
            {
                yield return $"{vr.Code} value contains control character 0x{(int)c:X2}";
                yield break;
            }
            if (!vr.UsesSpecificCharacterSet && c > '~')
            {
                yield return $"{vr.Code} value contains '{c}', outside the default repertoire";
                yield break;
            }
        }
    }
}
