namespace Agent.Dicom.Dump;

public sealed class DicomDumpOptions
{
    public static DicomDumpOptions Default { get; } = new();

    /// <summary>Values whose printed form is longer are cut with "..." (dcmdump's default); 0 prints everything.</summary>
    public int MaxValueLength { get; init; } = 64;

    /// <summary>Sequence nesting printed before the dump refuses (a format error, never a stack overflow).</summary>
    public int MaxDepth { get; init; } = 64;
}
