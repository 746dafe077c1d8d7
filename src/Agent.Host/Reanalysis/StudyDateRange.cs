using System.Globalization;
using System.Text.RegularExpressions;

namespace Agent.Host.Reanalysis;

/// <summary>
/// The StudyDate of a re-analysis query: relative forms ("today", "-7d" = the last seven days up to today,
/// "-30d..-1d") are resolved against the day a run is queued, so a nightly schedule always looks at the same window;
/// DICOM dates and ranges ("20260101", "20260101-20261127", "20260101-", "-20261127") pass through checked.
/// </summary>
public static partial class StudyDateRange
{
    private const string Format = "yyyyMMdd";

    /// <summary>The DICOM date or range to send, or the reason <paramref name="value"/> is not one.</summary>
    public static (string? Range, string? Error) Resolve(string? value, DateOnly today)
    {
        var text = value?.Trim() ?? "";
        if (text.Length == 0) return (null, "is empty (use e.g. -7d, -30d..-1d, today or 20260101-20261127)");
        if (text.Contains("..", StringComparison.Ordinal))
        {
            var parts = text.Split("..", 2);
            if (Relative(parts[0]) is not { } from || Relative(parts[1]) is not { } to)
                return (null, $"'{text}': both ends of a relative range must be like -30d, 0d or today");
            if (from > to) return (null, $"'{text}': the range starts after it ends");
            return (Dicom(today.AddDays(from)) + "-" + Dicom(today.AddDays(to)), null);
        }
        if (Relative(text) is { } days)
            return days == 0 ? (Dicom(today), null) : (Dicom(today.AddDays(days)) + "-" + Dicom(today), null);
        if (DicomRange().Match(text) is { Success: true } m)
        {
            var start = m.Groups["start"].Value;
            var end = m.Groups["end"].Value;
            var dash = m.Groups["dash"].Success;
            if (start.Length > 0 && !IsDate(start)) return (null, $"'{text}': {start} is not a date (YYYYMMDD)");
            if (end.Length > 0 && !IsDate(end)) return (null, $"'{text}': {end} is not a date (YYYYMMDD)");
            if (start.Length > 0 && end.Length > 0 && string.CompareOrdinal(start, end) > 0) return (null, $"'{text}': the range starts after it ends");
            if (start.Length + end.Length > 0 && (dash || end.Length == 0)) return (text, null);
        }
        return (null, $"'{text}' is not a date range (use e.g. -7d, -30d..-1d, today or 20260101-20261127)");
    }

    /// <summary>Days relative to today ("-7d", "0d", "today"), or null.</summary>
    private static int? Relative(string text)
    {
        text = text.Trim();
        if (text.Equals("today", StringComparison.OrdinalIgnoreCase)) return 0;
        if (text.Equals("yesterday", StringComparison.OrdinalIgnoreCase)) return -1;
        var m = RelativeDays().Match(text);
        if (!m.Success || !int.TryParse(m.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 36500) return null;
        return m.Groups["sign"].Value == "-" ? -n : n == 0 ? 0 : null;
    }

    private static bool IsDate(string text) => DateOnly.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static string Dicom(DateOnly date) => date.ToString(Format, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<sign>-?)(?<n>[0-9]{1,5})d$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex RelativeDays();

    [GeneratedRegex(@"^(?<start>[0-9]{8})?(?<dash>-)?(?<end>[0-9]{8})?$", RegexOptions.CultureInvariant)]
    private static partial Regex DicomRange();
}
