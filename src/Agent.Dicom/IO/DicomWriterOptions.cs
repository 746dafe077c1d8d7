namespace Agent.Dicom.IO;

/// <summary>How <see cref="DicomWriter"/> encodes sequences.</summary>
public sealed class DicomWriterOptions
{
    public static DicomWriterOptions Default { get; } = new();

    /// <summary>Write sequences and items with defined lengths instead of delimiters (default false: undefined).</summary>
    public bool DefinedLengthSequences { get; init; }
}
