namespace Agent.Dicom.Json;

/// <summary>How the DICOM JSON model (PS3.18 F.2) writer treats bulk data.</summary>
public sealed class DicomJsonOptions
{
    public static DicomJsonOptions Default { get; } = new();

    /// <summary>
    /// When set, a bulk value (OB/OD/OF/OL/OV/OW/UN, encapsulated pixel data) whose base64 form is longer than
    /// <see cref="BulkDataThreshold"/> is written as "BulkDataURI" with the URI this returns, instead of "InlineBinary".
    /// Returning null writes the value inline.
    /// </summary>
    public Func<DicomItem, string?>? BulkDataUriHandler { get; init; }

    /// <summary>Length of the base64 text above which the handler is asked (pydicom's default is 1024).</summary>
    public int BulkDataThreshold { get; init; } = 1024;

    /// <summary>
    /// Bulk values whose bytes are not loaded yet are written as "BulkDataURI" from the handler, or omitted (element
    /// with "vr" only) when there is no handler, so a dump does not read gigabytes of pixels. Off by default.
    /// </summary>
    public bool SkipUnloadedBulkData { get; init; }

    /// <summary>Maximum sequence nesting written; deeper data is a format error rather than a stack overflow.</summary>
    public int MaxDepth { get; init; } = 64;
}
