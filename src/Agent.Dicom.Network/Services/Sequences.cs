using Agent.Dicom;

namespace Agent.Dicom.Network.Services;

/// <summary>Reading the sequences the normalized services exchange: items, and Referenced SOP Class/Instance UID pairs.</summary>
internal static class Sequences
{
    /// <summary>The items of a sequence; none when it is absent or not a sequence.</summary>
    public static IReadOnlyList<DicomDataset> Items(DicomDataset dataset, DicomTag sequence) => dataset.GetSequence(sequence)?.Items ?? [];

    /// <summary>An item's Referenced SOP Class and Instance UID, or null when either is missing.</summary>
    public static SopReference? Reference(DicomDataset item)
        => item.GetString(DicomTags.ReferencedSOPClassUID) is { Length: > 0 } sopClass && item.GetString(DicomTags.ReferencedSOPInstanceUID) is { Length: > 0 } instance
            ? new SopReference(sopClass, instance)
            : null;

    /// <summary>The references of a sequence's items; items missing either UID are skipped.</summary>
    public static IEnumerable<SopReference> References(DicomDataset dataset, DicomTag sequence)
        => Items(dataset, sequence).Select(Reference).OfType<SopReference>();
}
