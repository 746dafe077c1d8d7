namespace Agent.Host.Ingest;

/// <summary>
/// UID syntax per PS3.5 9.1: 1-64 characters, digits and dots, components without leading zeros (except "0"),
/// no empty component. Only UIDs passing this check ever become path segments, so sender text (".." , "/", NUL)
/// can never steer where a file is written.
/// </summary>
public static class DicomUid
{
    public const int MaxLength = 64;

    public static bool IsValid(ReadOnlySpan<char> uid)
    {
        if (uid.Length is 0 or > MaxLength) return false;
        var componentStart = 0;
        for (var i = 0; i <= uid.Length; i++)
        {
            if (i == uid.Length || uid[i] == '.')
            {
                var length = i - componentStart;
                if (length == 0) return false;
                if (length > 1 && uid[componentStart] == '0') return false;
                componentStart = i + 1;
            }
            else if (uid[i] is < '0' or > '9')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Trims the padding a UI value may carry (trailing NUL or space) before checking.</summary>
    public static string? Normalize(string? value)
    {
        if (value is null) return null;
        var trimmed = value.TrimEnd('\0', ' ');
        return IsValid(trimmed) ? trimmed : null;
    }
}
