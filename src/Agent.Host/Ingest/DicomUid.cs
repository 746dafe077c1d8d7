namespace Agent.Host.Ingest;

/// <summary>
/// The host's entry to UID syntax checks; the rules live once in <see cref="Agent.Dicom.DicomUid"/> (PS3.5 9.1), so
/// only UIDs that pass them ever become path segments.
/// </summary>
public static class DicomUid
{
    public const int MaxLength = Agent.Dicom.DicomUid.MaxLength;

    public static bool IsValid(ReadOnlySpan<char> uid) => Agent.Dicom.DicomUid.IsValid(uid);

    /// <summary>Trims the padding a UI value may carry (trailing NUL or space) before checking.</summary>
    public static string? Normalize(string? value) => Agent.Dicom.DicomUid.Normalize(value);
}
