namespace Agent.Dicom.Pixels;

/// <summary>
/// Which fragments of encapsulated pixel data (PS3.5 A.4) make up each frame: from the Extended Offset Table, else the
/// Basic Offset Table, else one fragment per frame (or all fragments for a single frame).
/// </summary>
internal sealed class EncapsulatedFrames
{
    private readonly DicomFragmentSequence _fragments;
    private readonly (int First, int Count)[] _frames;

    private EncapsulatedFrames(DicomFragmentSequence fragments, (int First, int Count)[] frames)
    {
        _fragments = fragments;
        _frames = frames;
    }

    public static EncapsulatedFrames Create(DicomDataset dataset, DicomFragmentSequence fragments, int frameCount)
    {
        int n = fragments.Fragments.Count;
        if (n == 0) throw new DicomFormatException("encapsulated pixel data has no fragments");
        var extended = dataset.GetValues<ulong>(DicomTags.ExtendedOffsetTable);
        IReadOnlyList<ulong>? offsets = extended.Length > 0 ? extended
            : fragments.OffsetTable.Count > 0 ? fragments.OffsetTable.Select(o => (ulong)o).ToArray() : null;
        if (offsets is not null) return new EncapsulatedFrames(fragments, FromOffsets(fragments, offsets, frameCount));
        if (n == frameCount) return new EncapsulatedFrames(fragments, Enumerable.Range(0, n).Select(i => (i, 1)).ToArray());
        if (frameCount == 1) return new EncapsulatedFrames(fragments, [(0, n)]);
        throw new DicomFormatException($"{n} fragments for {frameCount} frames and no offset table: cannot tell where frames start");
    }

    /// <summary>Offsets count from the first byte of the first fragment's item tag; each must land on an item tag.</summary>
    private static (int, int)[] FromOffsets(DicomFragmentSequence fragments, IReadOnlyList<ulong> offsets, int frameCount)
    {
        if (offsets.Count != frameCount)
            throw new DicomFormatException($"offset table has {offsets.Count} entries for {frameCount} frames");
        var starts = new Dictionary<ulong, int>();
        ulong position = 0;
        for (int i = 0; i < fragments.Fragments.Count; i++)
        {
            starts[position] = i;
            position += 8 + (ulong)fragments.Fragments[i].Length;
        }
        var firsts = new int[frameCount];
        for (int f = 0; f < frameCount; f++)
        {
            if (!starts.TryGetValue(offsets[f], out firsts[f]) || (f > 0 && firsts[f] <= firsts[f - 1]))
                throw new DicomFormatException($"offset table entry {f} ({offsets[f]}) does not point at a fragment after the previous frame's");
        }
        var frames = new (int, int)[frameCount];
        for (int f = 0; f < frameCount; f++)
        {
            int end = f + 1 < frameCount ? firsts[f + 1] : fragments.Fragments.Count;
            frames[f] = (firsts[f], end - firsts[f]);
        }
        return frames;
    }

    /// <summary>The frame's bytes: its fragment as is, or several fragments joined.</summary>
    public ReadOnlyMemory<byte> GetFrame(int index)
    {
        var (first, count) = _frames[index];
        if (count == 1) return _fragments.Fragments[first].Memory;
        long total = 0;
        for (int i = first; i < first + count; i++) total += _fragments.Fragments[i].Length;
        if (total > Array.MaxLength) throw new DicomFormatException($"frame {index} spans {total} bytes, too large to join");
        var joined = new byte[total];
        int pos = 0;
        for (int i = first; i < first + count; i++)
        {
            _fragments.Fragments[i].Span.CopyTo(joined.AsSpan(pos));
            pos += (int)_fragments.Fragments[i].Length;
        }
        return joined;
    }
}
