namespace Agent.Dicom.IO;

/// <summary>
/// Limits and behaviour of <see cref="DicomReader"/>. Every limit turns into a <see cref="DicomFormatException"/>, so a
/// hostile or broken input cannot make the reader allocate, recurse or loop without bound.
/// </summary>
public sealed class DicomReaderOptions
{
    /// <summary>Shared defaults; treat as read-only.</summary>
    public static DicomReaderOptions Default { get; } = new();

    /// <summary>Stop before the first top-level element whose tag is at or after this one (e.g. PixelData for fast metadata reads).</summary>
    public DicomTag? StopAt { get; init; }

    /// <summary>
    /// Values longer than this, read from a file, become a lazy <see cref="FileRangeBuffer"/> loaded on first access.
    /// Applies only when the source is a file on disk (not deflated). Default 256 KiB.
    /// </summary>
    public long LargeValueThreshold { get; init; } = 256 * 1024;

    /// <summary>Longest single value or fragment accepted (default 2 GiB - 1, the array limit).</summary>
    public long MaxElementLength { get; init; } = Array.MaxLength;

    /// <summary>Deepest nesting of sequences accepted (default 64).</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Most sequence items plus fragments in one parse (default 1,000,000).</summary>
    public int MaxItems { get; init; } = 1_000_000;

    /// <summary>Most elements (at every nesting level) in one parse (default 2,000,000; each costs about 150 bytes).</summary>
    public int MaxTotalElements { get; init; } = 2_000_000;

    /// <summary>Most bytes a deflated dataset may inflate to (default 1 GiB): the guard against deflate bombs.</summary>
    public long MaxDecompressedLength { get; init; } = 1L << 30;

    /// <summary>Most bytes <c>ReadAsync</c> buffers from a stream that cannot seek (default 2 GiB - 1).</summary>
    public long MaxStreamLength { get; init; } = Array.MaxLength;

    /// <summary>
    /// Turn explicit UN elements of public tags into their dictionary VR (a UN whose dictionary VR is SQ is parsed as a
    /// sequence in implicit VR little endian, PS3.5 6.2.2). Default true, as pydicom and DCMTK do.
    /// </summary>
    public bool ReplaceUnknownVRWithDictionaryVR { get; init; } = true;
}
