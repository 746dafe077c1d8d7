namespace Agent.Dicom;

/// <summary>One entry of a dataset: a plain element, a sequence, or encapsulated pixel data fragments.</summary>
public abstract class DicomItem(DicomTag tag, DicomVR vr)
{
    public DicomTag Tag { get; } = tag;
    public DicomVR VR { get; } = vr;
    public override string ToString() => $"{Tag} {VR}";
}

/// <summary>An element whose value is bytes (text, binary numbers or bulk data), little endian.</summary>
public sealed class DicomElement(DicomTag tag, DicomVR vr, DicomBuffer buffer) : DicomItem(tag, vr)
{
    public DicomBuffer Buffer { get; } = buffer;
    public long Length => Buffer.Length;
}

/// <summary>A sequence of items (SQ, or UN with undefined length that holds a sequence).</summary>
public sealed class DicomSequence : DicomItem
{
    public DicomSequence(DicomTag tag, IEnumerable<DicomDataset>? items = null) : base(tag, DicomVR.SQ)
    {
        if (items is not null) foreach (var item in items) Add(item);
    }

    private readonly List<DicomDataset> _items = [];
    public IReadOnlyList<DicomDataset> Items => _items;

    public void Add(DicomDataset item) => _items.Add(item);
}

/// <summary>Encapsulated pixel data (PS3.5 A.4): basic offset table item, then one fragment per item.</summary>
public sealed class DicomFragmentSequence(DicomTag tag, DicomVR vr) : DicomItem(tag, vr)
{
    /// <summary>Offsets from the first fragment's item tag to each frame's first fragment; often empty.</summary>
    public List<uint> OffsetTable { get; } = [];
    public List<DicomBuffer> Fragments { get; } = [];
}
