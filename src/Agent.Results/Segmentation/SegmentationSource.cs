using Agent.Dicom;
using Agent.Imaging;
using Agent.Imaging.Series;

namespace Agent.Results.Segmentation;

/// <summary>
/// The image series a segmentation was made on: its grid, which source instance each slice k came from, and the
/// source instances themselves (patient/study identity, SOP classes, Frame of Reference).
/// </summary>
public sealed class SegmentationSource
{
    private readonly Dictionary<string, DicomDataset> _bySopInstance = new(StringComparer.Ordinal);

    public SegmentationSource(ImageGeometry geometry, IReadOnlyList<SliceSource?> slices, IReadOnlyList<DicomDataset> instances, string frameOfReferenceUid)
    {
        if (instances.Count == 0) throw new ArgumentException("a segmentation needs at least one source instance", nameof(instances));
        if (slices.Count != geometry.Size.Z) throw new ArgumentException($"{slices.Count} slice sources for {geometry.Size.Z} slices", nameof(slices));
        Geometry = geometry;
        Slices = slices;
        Instances = instances;
        FrameOfReferenceUid = frameOfReferenceUid;
        foreach (var ds in instances)
            if (ds.GetString(DicomTags.SOPInstanceUID) is { Length: > 0 } uid) _bySopInstance[uid] = ds;
        var first = instances[0];
        StudyInstanceUid = first.GetString(DicomTags.StudyInstanceUID) ?? throw new ArgumentException("the source has no Study Instance UID", nameof(instances));
        SeriesInstanceUid = first.GetString(DicomTags.SeriesInstanceUID) ?? throw new ArgumentException("the source has no Series Instance UID", nameof(instances));
    }

    /// <summary>The source as the series volume builder reconstructed it.</summary>
    public static SegmentationSource FromSeries(SeriesVolume series, IReadOnlyList<DicomDataset> instances)
    {
        var geometry = series.Volume?.Geometry ?? throw new ArgumentException("the series volume was rejected; nothing to segment", nameof(series));
        return new SegmentationSource(geometry, series.Slices, instances, series.FrameOfReferenceUid);
    }

    public ImageGeometry Geometry { get; }
    public IReadOnlyList<SliceSource?> Slices { get; }
    public IReadOnlyList<DicomDataset> Instances { get; }
    public string FrameOfReferenceUid { get; }
    public string StudyInstanceUid { get; }
    public string SeriesInstanceUid { get; }

    /// <summary>The first instance: the patient and study modules are copied from it.</summary>
    public DicomDataset Representative => Instances[0];

    public DicomDataset? Instance(string sopInstanceUid) => _bySopInstance.GetValueOrDefault(sopInstanceUid);

    public string SopClassOf(string sopInstanceUid) => Instance(sopInstanceUid)?.GetString(DicomTags.SOPClassUID) ?? DicomUids.CTImageStorage.Uid;
}
