using System.Buffers.Binary;

namespace Agent.Dicom.IO;

/// <summary>Builds a <see cref="DicomDataset"/> tree from reader events.</summary>
public sealed class DicomDatasetBuilder : IDicomReaderObserver
{
    private readonly Stack<DicomDataset> _datasets = new();
    private readonly Stack<DicomSequence> _sequences = new();
    private DicomFragmentSequence? _fragments;
    private bool _offsetTableSeen;

    public DicomDatasetBuilder(DicomDataset? root = null)
    {
        Root = root ?? new DicomDataset();
        _datasets.Push(Root);
    }

    public DicomDataset Root { get; }

    public void OnElement(DicomTag tag, DicomVR vr, DicomBuffer value)
        => _datasets.Peek().AddOrUpdate(new DicomElement(tag, vr, value));

    public void OnBeginSequence(DicomTag tag, DicomVR vr, long length)
    {
        var sequence = new DicomSequence(tag);
        _datasets.Peek().AddOrUpdate(sequence);
        _sequences.Push(sequence);
    }

    public void OnBeginItem(long length)
    {
        var item = new DicomDataset { Parent = _datasets.Peek() };
        _sequences.Peek().Add(item);
        _datasets.Push(item);
    }

    public void OnEndItem() => _datasets.Pop();

    public void OnEndSequence() => _sequences.Pop();

    public void OnBeginFragments(DicomTag tag, DicomVR vr)
    {
        _fragments = new DicomFragmentSequence(tag, vr);
        _offsetTableSeen = false;
        _datasets.Peek().AddOrUpdate(_fragments);
    }

    public void OnFragment(DicomBuffer fragment)
    {
        if (_fragments is null) return;
        if (_offsetTableSeen)
        {
            _fragments.Fragments.Add(fragment);
            return;
        }
        _offsetTableSeen = true;
        var span = fragment.Span;
        for (int i = 0; i + 4 <= span.Length; i += 4) _fragments.OffsetTable.Add(BinaryPrimitives.ReadUInt32LittleEndian(span[i..]));
    }

    public void OnEndFragments() => _fragments = null;
}
