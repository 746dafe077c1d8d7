using System.Buffers.Binary;
using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Agent.Dicom;

/// <summary>
/// A set of elements kept sorted by tag (the order they are encoded in), with typed accessors.
/// Text values are decoded with the dataset's Specific Character Set, inherited by nested items.
/// </summary>
public sealed class DicomDataset : IEnumerable<DicomItem>
{
    private readonly List<DicomItem> _items = [];
    private DicomCharacterSet? _characterSet;

    public DicomDataset() { }

    public DicomDataset(IEnumerable<DicomItem> items)
    {
        foreach (var item in items) AddOrUpdate(item);
    }

    /// <summary>The dataset that encloses this one when it is a sequence item; used to inherit the character set.</summary>
    public DicomDataset? Parent { get; set; }

    public int Count => _items.Count;

    /// <summary>The character set for text values: this dataset's (0008,0005), else the parent's, else the default repertoire.</summary>
    public DicomCharacterSet CharacterSet
    {
        get
        {
            if (_characterSet is not null) return _characterSet;
            if (TryGetItem(DicomTags.SpecificCharacterSet, out var item) && item is DicomElement e)
                return _characterSet = DicomCharacterSet.FromSpecificCharacterSet(SplitAscii(e.Buffer.Span));
            return Parent?.CharacterSet ?? DicomCharacterSet.Default;
        }
    }

    public IEnumerator<DicomItem> GetEnumerator() => _items.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(DicomTag tag)
    {
        // Fast path: readers add in ascending order, lookups often hit the end.
        int lo = 0, hi = _items.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            var c = _items[mid].Tag.Value.CompareTo(tag.Value);
            if (c == 0) return mid;
            if (c < 0) lo = mid + 1; else hi = mid - 1;
        }
        return ~lo;
    }

    public bool Contains(DicomTag tag) => IndexOf(tag) >= 0;

    public bool TryGetItem(DicomTag tag, out DicomItem item)
    {
        var i = IndexOf(tag);
        item = i >= 0 ? _items[i] : null!;
        return i >= 0;
    }

    public DicomItem? GetItem(DicomTag tag) => TryGetItem(tag, out var item) ? item : null;

    /// <summary>Adds or replaces the element with the same tag.</summary>
    public DicomDataset AddOrUpdate(DicomItem item)
    {
        if (item.Tag == DicomTags.SpecificCharacterSet) _characterSet = null;
        if (item is DicomSequence seq) foreach (var child in seq.Items) child.Parent = this;
        if (_items.Count == 0 || _items[^1].Tag < item.Tag) { _items.Add(item); return this; }
        var i = IndexOf(item.Tag);
        if (i >= 0) _items[i] = item; else _items.Insert(~i, item);
        return this;
    }

    public bool Remove(DicomTag tag)
    {
        var i = IndexOf(tag);
        if (i < 0) return false;
        _items.RemoveAt(i);
        if (tag == DicomTags.SpecificCharacterSet) _characterSet = null;
        return true;
    }

    public void RemoveAll(Predicate<DicomItem> match)
    {
        _items.RemoveAll(match);
        _characterSet = null;
    }

    // ---------------- text ----------------

    /// <summary>The whole decoded value with padding removed, or null when absent or not text.</summary>
    public string? GetString(DicomTag tag)
    {
        if (!TryGetItem(tag, out var item) || item is not DicomElement e) return null;
        return DecodeText(e);
    }

    public string GetString(DicomTag tag, string defaultValue) => GetString(tag) ?? defaultValue;

    /// <summary>Values of a multi-valued text element, each trimmed per its VR; empty when absent.</summary>
    public string[] GetStrings(DicomTag tag)
    {
        var s = GetString(tag);
        if (string.IsNullOrEmpty(s)) return [];
        if (!TryGetItem(tag, out var item) || !item.VR.IsBackslashMultiValued) return [s];
        var parts = s.Split('\\');
        for (int i = 0; i < parts.Length; i++) parts[i] = DicomText.TrimValue(parts[i], item.VR);
        return parts;
    }

    internal string DecodeText(DicomElement e)
    {
        var span = e.Buffer.Span;
        var text = e.VR.UsesSpecificCharacterSet ? CharacterSet.Decode(span, e.VR) : DicomText.DecodeAscii(span);
        return DicomText.TrimValue(text, e.VR);
    }

    /// <summary>Adds a text element; <paramref name="values"/> are joined with backslash and padded to even length.</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, DicomVR vr, params string[] values)
    {
        if (!vr.IsString) throw new ArgumentException($"{vr} is not a text VR; use the typed overload", nameof(vr));
        var text = string.Join('\\', values);
        var bytes = vr.UsesSpecificCharacterSet ? CharacterSet.Encode(text, vr) : DicomText.EncodeAscii(text);
        return AddOrUpdate(new DicomElement(tag, vr, DicomBuffer.From(DicomText.PadEven(bytes, vr.PaddingByte))));
    }

    /// <summary>Adds a text element with the dictionary's VR for the tag.</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, params string[] values) => AddOrUpdate(tag, DicomDictionary.DefaultVR(tag), values);

    // ---------------- binary numbers ----------------

    /// <summary>Binary values (US/SS/UL/SL/FL/FD/SV/UV/AT or OB/OW/OF/OD/OL/OV) reinterpreted as <typeparamref name="T"/>.</summary>
    public T[] GetValues<T>(DicomTag tag) where T : unmanaged
    {
        if (!TryGetItem(tag, out var item) || item is not DicomElement e) return [];
        var span = e.Buffer.Span;
        var size = Marshal.SizeOf<T>();
        return MemoryMarshal.Cast<byte, T>(span[..(span.Length / size * size)]).ToArray();
    }

    /// <summary>
    /// One numeric value as <typeparamref name="T"/>, whatever the element's VR: binary numbers are converted, DS/IS text is
    /// parsed. Null when absent, empty or unparsable.
    /// </summary>
    public T? GetNumber<T>(DicomTag tag, int index = 0) where T : struct, INumber<T>
    {
        if (!TryGetItem(tag, out var item) || item is not DicomElement e) return null;
        if (e.VR.IsString)
        {
            var values = GetStrings(tag);
            if (index >= values.Length) return null;
            return double.TryParse(values[index], NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? T.CreateSaturating(d) : null;
        }
        var span = e.Buffer.Span;
        int unit = e.VR.UnitSize;
        if (e.VR == DicomVR.OB || e.VR == DicomVR.UN) unit = 1;
        if ((index + 1) * unit > span.Length) return null;
        var v = span.Slice(index * unit, unit);
        return e.VR.Code switch
        {
            "US" or "OW" => T.CreateTruncating(BinaryPrimitives.ReadUInt16LittleEndian(v)),
            "SS" => T.CreateTruncating(BinaryPrimitives.ReadInt16LittleEndian(v)),
            "UL" or "OL" or "AT" => T.CreateTruncating(BinaryPrimitives.ReadUInt32LittleEndian(v)),
            "SL" => T.CreateTruncating(BinaryPrimitives.ReadInt32LittleEndian(v)),
            "FL" or "OF" => T.CreateSaturating(BinaryPrimitives.ReadSingleLittleEndian(v)),
            "FD" or "OD" => T.CreateSaturating(BinaryPrimitives.ReadDoubleLittleEndian(v)),
            "SV" => T.CreateTruncating(BinaryPrimitives.ReadInt64LittleEndian(v)),
            "UV" or "OV" => T.CreateTruncating(BinaryPrimitives.ReadUInt64LittleEndian(v)),
            _ => T.CreateTruncating(v[0]),
        };
    }

    public DicomDataset AddOrUpdate<T>(DicomTag tag, DicomVR vr, params T[] values) where T : unmanaged
    {
        if (vr.IsString || vr == DicomVR.SQ) throw new ArgumentException($"{vr} holds text or items, not binary values", nameof(vr));
        var bytes = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        if (!BitConverter.IsLittleEndian) ByteSwap.InPlace(bytes, Marshal.SizeOf<T>());
        return AddOrUpdate(new DicomElement(tag, vr, DicomBuffer.From(DicomText.PadEven(bytes, 0))));
    }

    // ---------------- sequences and bulk ----------------

    public DicomSequence? GetSequence(DicomTag tag) => TryGetItem(tag, out var item) ? item as DicomSequence : null;

    /// <summary>The first item of a sequence, or null.</summary>
    public DicomDataset? GetFirstItem(DicomTag tag) => GetSequence(tag) is { Items.Count: > 0 } s ? s.Items[0] : null;

    public DicomDataset AddOrUpdate(DicomTag tag, params DicomDataset[] items) => AddOrUpdate(new DicomSequence(tag, items));

    public DicomDataset AddOrUpdateBytes(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> bytes)
        => AddOrUpdate(new DicomElement(tag, vr, DicomBuffer.From(bytes)));

    /// <summary>A shallow copy: items are shared (they are immutable except sequences' item lists).</summary>
    public DicomDataset Clone()
    {
        var copy = new DicomDataset();
        copy._items.AddRange(_items);
        copy.Parent = Parent;
        return copy;
    }

    private static string[] SplitAscii(ReadOnlySpan<byte> bytes)
    {
        var s = DicomText.DecodeAscii(bytes);
        var parts = s.Split('\\');
        for (int i = 0; i < parts.Length; i++) parts[i] = parts[i].Trim(' ', '\0');
        return parts;
    }
}
