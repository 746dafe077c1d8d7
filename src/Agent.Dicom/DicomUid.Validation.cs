namespace Agent.Dicom;

/// <summary>
/// The UID syntax of PS3.5 9.1, checked in one place: 1-64 characters, digits and dots, no empty component, no
/// leading zero in a component (except "0" itself). Only UIDs passing it may become file names or path segments, so
/// received text (".." , "/", NUL) can never steer where a file is written.
/// </summary>
public sealed partial record DicomUid
{
    public const int MaxLength = 64;

    /// <summary>True for a syntactically valid UID (without padding; see <see cref="Normalize"/>).</summary>
    public static bool IsValid(ReadOnlySpan<char> uid) => Check(uid, out _) == Fault.None;

    /// <summary>True for a non-null, syntactically valid UID.</summary>
    public static bool IsValid(string? uid) => uid is not null && IsValid(uid.AsSpan());

    /// <summary>What is wrong with a UID (without its padding), or null when it is valid.</summary>
    public static string? Problem(string uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        return Check(uid, out var at) switch
        {
            Fault.None => null,
            Fault.Empty => "UID is empty",
            Fault.TooLong => $"UID is {uid.Length} characters, more than {MaxLength}",
            Fault.NotDigit => $"UID '{uid}' contains '{uid[at]}'; only digits and dots are allowed",
            Fault.EmptyComponent => $"UID '{uid}' has an empty component",
            _ => $"UID '{uid}' has a component with a leading zero",
        };
    }

    /// <summary>The UID without the padding a UI value may carry (trailing NUL or space), or null when it is not valid.</summary>
    public static string? Normalize(string? value)
    {
        if (value is null) return null;
        var trimmed = value.TrimEnd('\0', ' ');
        return IsValid(trimmed.AsSpan()) ? trimmed : null;
    }

    private enum Fault
    {
        None,
        Empty,
        TooLong,
        NotDigit,
        EmptyComponent,
        LeadingZero,
    }

    private static Fault Check(ReadOnlySpan<char> uid, out int at)
    {
        at = 0;
        if (uid.Length == 0) return Fault.Empty;
        if (uid.Length > MaxLength) return Fault.TooLong;
        var componentStart = 0;
        for (var i = 0; i <= uid.Length; i++)
        {
            if (i < uid.Length && uid[i] != '.')
            {
                if (!char.IsAsciiDigit(uid[i]))
                {
                    at = i;
                    return Fault.NotDigit;
                }
                continue;
            }
            var length = i - componentStart;
            if (length == 0) return Fault.EmptyComponent;
            if (length > 1 && uid[componentStart] == '0') return Fault.LeadingZero;
            componentStart = i + 1;
        }
        return Fault.None;
    }
}
