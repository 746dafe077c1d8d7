using System.Buffers.Binary;

namespace Agent.Dicom.IO;

/// <summary>
/// Builds a <see cref="DicomDataset"/> tree from reader events. Elements arriving in tag order (the normal case) are
/// appended directly; out-of-order ones are held back and merged once per item, so a hostile file listing tags in
/// descending order costs O(n log n), not O(n^2). Call <see cref="Complete"/> when the reader is done.
/// </summary>
public sealed class DicomDatasetBuilder : IDicomReaderObserver
{
    private readonly Stack<Level> _levels = new();
    private readonly Stack<DicomSequence> _sequences = new();
    private DicomFragmentSequence? _fragments;
    private bool _offsetTableSeen;

    public DicomDatasetBuilder(DicomDataset? root = null)
    {
        Root = root ?? new DicomDataset();
        _levels.Push(new Level(Root));
    }

    public DicomDataset Root { get; }

    /// <summary>Merges any out-of-order elements of the top level into <see cref="Root"/>.</summary>
    public void Complete()
    {
        foreach (var level in _levels) level.Flush();
    }

    public void OnElement(DicomTag tag, DicomVR vr, DicomBuffer value) => _levels.Peek().Add(new DicomElement(tag, vr, value));

    public void OnBeginSequence(DicomTag tag, DicomVR vr, long length)
    {
        var sequence = new DicomSequence(tag);
        _levels.Peek().Add(sequence);
        _sequences.Push(sequence);
    }

    public void OnBeginItem(long length)
    {
        var item = new DicomDataset { Parent = _levels.Peek().Dataset };
        _sequences.Peek().Add(item);
        _levels.Push(new Level(item));
    }

    public void OnEndItem() => _levels.Pop().Flush();

    public void OnEndSequence() => _sequences.Pop();

    public void OnBeginFragments(DicomTag tag, DicomVR vr)
    {
        _fragments = new DicomFragmentSequence(tag, vr);
        _offsetTableSeen = false;
        _levels.Peek().Add(_fragments);
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

    private sealed class Level(DicomDataset dataset)
    {
        private List<DicomItem>? _late;
        private uint _last;
        private bool _any;

        public DicomDataset Dataset { get; } = dataset;

        public void Add(DicomItem item)
        {
            if (_late is null && (!_any || item.Tag.Value > _last))
            {
                Dataset.AddOrUpdate(item);
                _last = item.Tag.Value;
                _any = true;
                return;
            }
            (_late ??= []).Add(item);
        }

        public void Flush()
        {
            if (_late is null) return;
            // Stable sort keeps stream order among duplicates, so the last occurrence wins as with in-order input.
            var all = Dataset.ToList();
            all.AddRange(_late);
            var ordered = all.Select((item, index) => (item, index)).OrderBy(p => p.item.Tag.Value).ThenBy(p => p.index).Select(p => p.item).ToList();
            Dataset.RemoveAll(_ => true);
            foreach (var item in ordered) Dataset.AddOrUpdate(item);
            _late = null;
        }
    }
}
