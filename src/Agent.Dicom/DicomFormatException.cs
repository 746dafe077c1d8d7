namespace Agent.Dicom;

/// <summary>
/// The one exception the data-format layer throws for bad input: malformed, truncated, oversized or unsupported data.
/// Anything else escaping a parser is a bug. <see cref="Offset"/> is the byte position in the stream when known.
/// </summary>
public sealed class DicomFormatException : Exception
{
    public DicomFormatException(string message, long offset = -1, Exception? inner = null)
        : base(offset >= 0 ? $"{message} (at byte {offset})" : message, inner) => Offset = offset;

    public DicomFormatException() : this("malformed DICOM data") { }
    public DicomFormatException(string message) : this(message, -1) { }
    public DicomFormatException(string message, Exception inner) : this(message, -1, inner) { }

    public long Offset { get; }
}
