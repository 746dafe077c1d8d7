namespace Agent.Imaging.Series;

/// <summary>
/// Where an output slice came from: the instance (and frame, from 1) whose pixels it holds. Slices interpolated
/// between source slices (gaps, irregular spacing) have no source and are null in <see cref="SeriesVolume.Slices"/>.
/// </summary>
public sealed record SliceSource(string SopInstanceUid, int FrameNumber, Vec3 ImagePosition);

/// <summary>A reconstructed series: the volume (null when rejected), slice provenance and the findings.</summary>
public sealed class SeriesVolume(Volume? volume, IReadOnlyList<SliceSource?> slices, SeriesReport report, string frameOfReferenceUid)
{
    public Volume? Volume { get; } = volume;

    /// <summary>Index k of the volume's third axis -> the source image at that position (the SEG writer needs it).</summary>
    public IReadOnlyList<SliceSource?> Slices { get; } = slices;

    public SeriesReport Report { get; } = report;

    public string FrameOfReferenceUid { get; } = frameOfReferenceUid;

    public bool IsUsable => Volume is not null;
}
