using System.Globalization;

namespace Agent.Dicom;

/// <summary>
/// DS (decimal string, at most 16 bytes) and IS (integer string, at most 12 bytes, -2^31..2^31-1) per PS3.5 6.2:
/// lenient parsing of what devices write, strict formatting of what we write.
/// </summary>
public static class DicomNumber
{
    public const int DecimalStringMaxLength = 16;
    public const int IntegerStringMaxLength = 12;

    /// <summary>Parses one DS value; leading/trailing spaces are padding. NaN and infinities are not DICOM numbers.</summary>
    public static bool TryParseDecimal(string? text, out double value)
    {
        value = 0;
        var s = text.AsSpan().Trim(' ');
        if (s.Length == 0 || !IsDecimalSyntax(s)) return false;
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    public static double ParseDecimal(string text) =>
        TryParseDecimal(text, out var v) ? v : throw new DicomFormatException($"invalid DS value '{text}'");

    /// <summary>
    /// The shortest text that fits 16 characters and reads back as close to <paramref name="value"/> as 16 characters
    /// allow: the round-trip form when it fits, else fewer significant digits (fixed or exponent, whichever keeps more).
    /// </summary>
    public static string FormatDecimal(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "DS cannot hold NaN or infinity");
        if (value == 0) return "0";   // also folds -0
        var shortest = value.ToString("R", CultureInfo.InvariantCulture);
        if (shortest.Length <= DecimalStringMaxLength) return Tidy(shortest);
        for (var digits = 16; digits >= 1; digits--)
        {
            var candidate = Tidy(value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
            // Rounding up near double.MaxValue can overflow on reading back; fewer digits round to a finite value.
            if (candidate.Length <= DecimalStringMaxLength && TryParseDecimal(candidate, out _)) return candidate;
        }
        // Unreachable for finite doubles (G1 is at most "-1E-308", 7 chars); kept as a hard guarantee.
        throw new InvalidOperationException($"cannot format {value} in 16 characters");
    }

    /// <summary>Parses one IS value: optional sign, digits, within -2^31..2^31-1.</summary>
    public static bool TryParseInteger(string? text, out int value)
    {
        value = 0;
        var s = text.AsSpan().Trim(' ');
        if (s.Length == 0) return false;
        var digits = s[0] is '+' or '-' ? s[1..] : s;
        if (digits.Length == 0) return false;
        foreach (var c in digits)
            if (!char.IsAsciiDigit(c)) return false;
        return int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    public static int ParseInteger(string text) =>
        TryParseInteger(text, out var v) ? v : throw new DicomFormatException($"invalid IS value '{text}'");

    public static string FormatInteger(long value)
    {
        if (value is < int.MinValue or > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(value), value, "IS holds -2^31..2^31-1");
        return value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>DS characters: digits, '+', '-', 'E', 'e', '.', one mantissa with at least one digit.</summary>
    internal static bool IsDecimalSyntax(ReadOnlySpan<char> s)
    {
        var i = 0;
        if (i < s.Length && s[i] is '+' or '-') i++;
        var mantissaDigits = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i])) { i++; mantissaDigits++; }
        if (i < s.Length && s[i] == '.')
        {
            i++;
            while (i < s.Length && char.IsAsciiDigit(s[i])) { i++; mantissaDigits++; }
        }
        if (mantissaDigits == 0) return false;
        if (i < s.Length && s[i] is 'e' or 'E')
        {
            i++;
            if (i < s.Length && s[i] is '+' or '-') i++;
            var exponentDigits = 0;
            while (i < s.Length && char.IsAsciiDigit(s[i])) { i++; exponentDigits++; }
            if (exponentDigits == 0) return false;
        }
        return i == s.Length;
    }

    private static string Tidy(string text)
    {
        // .NET writes "1E+16" and "1E-05": both are valid DS, but drop the '+' and leading exponent zeros to save room.
        var e = text.IndexOf('E', StringComparison.Ordinal);
        if (e < 0) return text;
        var mantissa = text[..e];
        var exponent = text[(e + 1)..];
        var negative = exponent.StartsWith('-');
        var digits = exponent.TrimStart('+', '-').TrimStart('0');
        return mantissa + "E" + (negative ? "-" : "") + (digits.Length == 0 ? "0" : digits);
    }
}
