namespace Agent.Dicom.IO;

/// <summary>Sequences, items and encapsulated pixel data fragments (PS3.5 7.5, A.4).</summary>
public sealed partial class DicomReader
{
    private void ReadSequence(DicomEncoding encoding, DicomTag tag, long length, int depth, long parentEnd = -1)
    {
        var src = _source;
        if (depth > _options.MaxDepth)
            throw new DicomFormatException($"sequences nested deeper than {_options.MaxDepth} levels", src.Position);
        // A defined length past the end of the data or of the enclosing item (seen when a tool removed elements
        // without fixing lengths) is clamped: the items must then end exactly there, or parsing fails.
        long end = length >= 0 ? src.Position + Math.Min(length, src.Remaining) : -1;
        if (end >= 0 && parentEnd >= 0 && end > parentEnd) end = parentEnd;
        _observer.OnBeginSequence(tag, DicomVR.SQ, length);
        while (true)
        {
            if (end >= 0)
            {
                if (src.Position == end) break;
                if (src.Position > end) throw new DicomFormatException($"an item runs past the end of sequence {tag}", src.Position);
            }
            if (!NextItem(encoding, tag, fragments: false, out var itemTag, out var itemLength)) break;
            if (itemTag != DicomTag.Item)
                throw new DicomFormatException($"expected an item in sequence {tag} but found {itemTag}", src.Position);
            if (++_itemCount > _options.MaxItems)
                throw new DicomFormatException($"more than {_options.MaxItems} items", src.Position);
            _cancellationToken.ThrowIfCancellationRequested();
            src.Advance(8);
            ForgetCreators(depth);
            _observer.OnBeginItem(itemLength == UndefinedLength ? -1 : itemLength);
            if (itemLength == UndefinedLength)
            {
                ReadElements(encoding, -1, untilItemDelimiter: true, depth);
            }
            else
            {
                long itemEnd = src.Position + Math.Min(itemLength, src.Remaining);
                if (end >= 0 && itemEnd > end)
                    throw new DicomFormatException($"an item of {itemLength} bytes runs past the end of sequence {tag}", src.Position);
                ReadElements(encoding, itemEnd, untilItemDelimiter: false, depth);
            }
            _observer.OnEndItem();
        }
        _observer.OnEndSequence();
    }

    /// <summary>
    /// Reads the 8-byte header of the next item of a sequence or fragment list. At the sequence delimiter it consumes
    /// it and returns false; otherwise it leaves the header unread for the caller to check and advance past.
    /// </summary>
    private bool NextItem(DicomEncoding encoding, DicomTag tag, bool fragments, out DicomTag itemTag, out uint itemLength)
    {
        var src = _source;
        if (!src.Ensure(8))
        {
            throw new DicomFormatException(fragments
                ? $"data ends inside the encapsulated value of {tag} (no sequence delimiter)"
                : $"data ends inside sequence {tag}", src.Position);
        }
        var head = src.Peek(8);
        itemTag = ReadTag(head, encoding.IsBigEndian);
        itemLength = ReadUInt32(head[4..], encoding.IsBigEndian);
        if (itemTag != DicomTag.SequenceDelimitation) return true;
        if (itemLength == UndefinedLength)
            throw new DicomFormatException($"the sequence delimiter of {tag} has an undefined length", src.Position);
        src.Advance(8);
        return false;
    }

    private void ReadFragments(DicomEncoding encoding, DicomTag tag, DicomVR vr)
    {
        var src = _source;
        _observer.OnBeginFragments(tag, vr);
        bool first = true;
        while (true)
        {
            if (!NextItem(encoding, tag, fragments: true, out var itemTag, out var itemLength)) break;
            if (itemTag != DicomTag.Item)
                throw new DicomFormatException($"expected a fragment item in {tag} but found {itemTag}", src.Position);
            if (itemLength == UndefinedLength)
                throw new DicomFormatException($"a fragment of {tag} has an undefined length", src.Position);
            if (first && itemLength % 4 != 0)
                throw new DicomFormatException($"the basic offset table of {tag} has {itemLength} bytes, not a multiple of 4", src.Position);
            if (++_itemCount > _options.MaxItems)
                throw new DicomFormatException($"more than {_options.MaxItems} items", src.Position);
            _cancellationToken.ThrowIfCancellationRequested();
            src.Advance(8);
            _observer.OnFragment(ReadValue(itemLength, 1, tag));
            first = false;
        }
        _observer.OnEndFragments();
    }
}
