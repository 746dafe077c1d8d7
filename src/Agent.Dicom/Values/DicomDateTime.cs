using System.Globalization;

namespace Agent.Dicom;

/// <summary>How much of a DT/TM value was present: "2024" is Year, "202403151230" is Minute, and so on.</summary>
public enum DicomDateTimePrecision
{
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    Fraction,
}

/// <summary>
/// A parsed DT value (PS3.5 6.2): the local date and time as written, the UTC offset when one was given, and the
/// precision; missing parts are filled with their lowest value (month 1, day 1, 00:00:00).
/// </summary>
public readonly record struct DicomDateTimeValue(DateTime DateTime, TimeSpan? Offset, DicomDateTimePrecision Precision)
{
    /// <summary>
    /// As a point in time; a value without its own offset takes <paramref name="defaultOffset"/>, which should come from
    /// (0008,0201) Timezone Offset From UTC when present (PS3.3 C.12.1.1.8).
    /// </summary>
    public DateTimeOffset ToDateTimeOffset(TimeSpan defaultOffset) => new(DateTime, Offset ?? defaultOffset);
}

/// <summary>Parsing and formatting of the DA, TM and DT value representations, including query ranges ("a-b").</summary>
public static class DicomDateTime
{
    // --- DA: YYYYMMDD -------------------------------------------------------------------------------------------

    public static bool TryParseDate(string? text, out DateOnly date)
    {
        date = default;
        var s = text.AsSpan().Trim(' ');
        return s.Length == 8 && AllDigits(s) &&
               DateOnly.TryParseExact(s, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    public static DateOnly ParseDate(string text) =>
        TryParseDate(text, out var d) ? d : throw new DicomFormatException($"invalid DA value '{text}' (expected YYYYMMDD)");

    public static string FormatDate(DateOnly date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>Parses "YYYYMMDD", "YYYYMMDD-YYYYMMDD", "-YYYYMMDD" or "YYYYMMDD-" (PS3.4 C.2.2.2.5); null ends are open.</summary>
    public static bool TryParseDateRange(string? text, out DateOnly? from, out DateOnly? to)
        => TryParseRange(text, TryParseDate, out from, out to);

    // --- TM: HH[MM[SS[.F{1,6}]]] ----------------------------------------------------------------------------------

    public static bool TryParseTime(string? text, out TimeOnly time) => TryParseTime(text, out time, out _);

    public static bool TryParseTime(string? text, out TimeOnly time, out DicomDateTimePrecision precision)
    {
        time = default;
        precision = DicomDateTimePrecision.Hour;
        var s = text.AsSpan().Trim(' ');
        if (!TryParseTimeCore(s, out var ticks, out precision)) return false;
        time = new TimeOnly(ticks);
        return true;
    }

    public static TimeOnly ParseTime(string text) =>
        TryParseTime(text, out var t) ? t : throw new DicomFormatException($"invalid TM value '{text}' (expected HH[MM[SS[.FFFFFF]]])");

    /// <summary>Formats as HHMMSS with <paramref name="fractionDigits"/> (0-6) digits of fraction.</summary>
    public static string FormatTime(TimeOnly time, int fractionDigits = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fractionDigits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fractionDigits, 6);
        var text = time.ToString("HHmmss", CultureInfo.InvariantCulture);
        return fractionDigits == 0 ? text : text + "." + Fraction(time.Ticks % TimeSpan.TicksPerSecond, fractionDigits);
    }

    public static bool TryParseTimeRange(string? text, out TimeOnly? from, out TimeOnly? to)
        => TryParseRange(text, TryParseTime, out from, out to);

    // --- DT: YYYY[MM[DD[HH[MM[SS[.F{1,6}]]]]]][&ZZXX] -----------------------------------------------------------------

    public static bool TryParseDateTime(string? text, out DicomDateTimeValue value)
    {
        value = default;
        var s = text.AsSpan().Trim(' ');
        TimeSpan? offset = null;
        var sign = s.IndexOfAny('+', '-');
        if (sign >= 0)
        {
            if (!TryParseOffset(s[sign..], out var o)) return false;
            offset = o;
            s = s[..sign];
        }
        if (s.Length < 4 || !AllDigits(s[..Math.Min(s.Length, 14)])) return false;
        var year = Int(s[..4]);
        int month = 1, day = 1;
        var precision = DicomDateTimePrecision.Year;
        if (s.Length >= 6) { month = Int(s[4..6]); precision = DicomDateTimePrecision.Month; }
        if (s.Length >= 8) { day = Int(s[6..8]); precision = DicomDateTimePrecision.Day; }
        if (s.Length is 5 or 7 || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        long timeTicks = 0;
        if (s.Length > 8)
        {
            if (!TryParseTimeCore(s[8..], out timeTicks, out precision)) return false;
        }
        value = new DicomDateTimeValue(new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Unspecified).AddTicks(timeTicks), offset, precision);
        return true;
    }

    /// <summary>A DT value as a point in time; values without their own offset take <paramref name="defaultOffset"/>.</summary>
    public static bool TryParseDateTime(string? text, TimeSpan defaultOffset, out DateTimeOffset value)
    {
        value = default;
        if (!TryParseDateTime(text, out var parsed)) return false;
        value = parsed.ToDateTimeOffset(defaultOffset);
        return true;
    }

    /// <summary>
    /// Joins a DA and an optional TM value (e.g. StudyDate + StudyTime) into one local date and time; a missing or
    /// invalid time means midnight, a missing or invalid date means no result.
    /// </summary>
    public static bool TryCombine(string? date, string? time, out DateTime value)
    {
        value = default;
        if (!TryParseDate(date, out var d)) return false;
        _ = TryParseTime(time, out var t);
        value = d.ToDateTime(t, DateTimeKind.Unspecified);
        return true;
    }

    public static DicomDateTimeValue ParseDateTime(string text) =>
        TryParseDateTime(text, out var v) ? v : throw new DicomFormatException($"invalid DT value '{text}'");

    /// <summary>Formats as YYYYMMDDHHMMSS[.F], with the value's UTC offset as &amp;ZZXX when <paramref name="includeOffset"/>.</summary>
    public static string FormatDateTime(DateTimeOffset value, int fractionDigits = 6, bool includeOffset = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fractionDigits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fractionDigits, 6);
        var text = value.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        if (fractionDigits > 0) text += "." + Fraction(value.Ticks % TimeSpan.TicksPerSecond, fractionDigits);
        return includeOffset ? text + FormatOffset(value.Offset) : text;
    }

    /// <summary>"+HHMM" / "-HHMM", the form of DT suffixes and (0008,0201) Timezone Offset From UTC.</summary>
    public static string FormatOffset(TimeSpan offset)
    {
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{abs.Hours:00}{abs.Minutes:00}");
    }

    /// <summary>Parses "+HHMM"/"-HHMM" within -12:00..+14:00 (PS3.5 Table 6.2-1), as in DT values and (0008,0201).</summary>
    public static bool TryParseOffset(ReadOnlySpan<char> text, out TimeSpan offset)
    {
        offset = default;
        if (text.Length != 5 || text[0] is not ('+' or '-') || !AllDigits(text[1..])) return false;
        var hours = Int(text[1..3]);
        var minutes = Int(text[3..5]);
        if (minutes > 59) return false;
        offset = new TimeSpan(hours, minutes, 0);
        if (text[0] == '-') offset = -offset;
        return offset >= TimeSpan.FromHours(-12) && offset <= TimeSpan.FromHours(14);
    }

    public static bool TryParseDateTimeRange(string? text, out DicomDateTimeValue? from, out DicomDateTimeValue? to)
    {
        // A DT may itself contain '-' (a negative offset), so split at the '-' that leaves two parseable halves.
        from = to = null;
        var s = (text ?? "").Trim(' ');
        if (TryParseDateTime(s, out var single)) { from = to = single; return true; }
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] != '-') continue;
            var left = s[..i];
            var right = s[(i + 1)..];
            DicomDateTimeValue l = default, r = default;
            var leftOk = left.Length == 0 || TryParseDateTime(left, out l);
            var rightOk = right.Length == 0 || TryParseDateTime(right, out r);
            if (!leftOk || !rightOk || (left.Length == 0 && right.Length == 0)) continue;
            from = left.Length == 0 ? null : l;
            to = right.Length == 0 ? null : r;
            return true;
        }
        return false;
    }

    // --- shared ----------------------------------------------------------------------------------------------------

    private delegate bool Parser<T>(string? text, out T value);

    private static bool TryParseRange<T>(string? text, Parser<T> parse, out T? from, out T? to) where T : struct
    {
        from = to = null;
        var s = (text ?? "").Trim(' ');
        var dash = s.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            if (!parse(s, out var single)) return false;
            from = to = single;
            return true;
        }
        if (s.IndexOf('-', dash + 1) >= 0 || s.Length == 1) return false;
        var left = s[..dash];
        var right = s[(dash + 1)..];
        if (left.Length > 0) { if (!parse(left, out var l)) return false; from = l; }
        if (right.Length > 0) { if (!parse(right, out var r)) return false; to = r; }
        return true;
    }

    private static bool TryParseTimeCore(ReadOnlySpan<char> s, out long ticks, out DicomDateTimePrecision precision)
    {
        ticks = 0;
        precision = DicomDateTimePrecision.Hour;
        var dot = s.IndexOf('.');
        var whole = dot >= 0 ? s[..dot] : s;
        if (whole.Length is not (2 or 4 or 6) || !AllDigits(whole)) return false;
        var hour = Int(whole[..2]);
        var minute = whole.Length >= 4 ? Int(whole[2..4]) : 0;
        // 60 seconds is a leap second (PS3.5 allows it); it is folded into 59.999999 for TimeOnly.
        var second = whole.Length >= 6 ? Int(whole[4..6]) : 0;
        if (hour > 23 || minute > 59 || second > 60) return false;
        precision = whole.Length switch { 2 => DicomDateTimePrecision.Hour, 4 => DicomDateTimePrecision.Minute, _ => DicomDateTimePrecision.Second };
        long fraction = 0;
        if (dot >= 0)
        {
            var f = s[(dot + 1)..];
            if (whole.Length != 6 || f.Length is < 1 or > 6 || !AllDigits(f)) return false;
            fraction = Int(f) * (long)Math.Pow(10, 7 - f.Length);
            precision = DicomDateTimePrecision.Fraction;
        }
        ticks = (((hour * 60L) + minute) * 60 + Math.Min(second, 59)) * TimeSpan.TicksPerSecond +
                (second == 60 ? TimeSpan.TicksPerSecond - 10 : fraction);
        return true;
    }

    private static string Fraction(long ticksOfSecond, int digits) =>
        (ticksOfSecond / 10).ToString("000000", CultureInfo.InvariantCulture)[..digits];

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
            if (!char.IsAsciiDigit(c)) return false;
        return true;
    }

    private static int Int(ReadOnlySpan<char> digits) => int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
}
