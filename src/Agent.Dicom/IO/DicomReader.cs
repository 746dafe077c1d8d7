using System.Buffers.Binary;

namespace Agent.Dicom.IO;

/// <summary>
/// The one DICOM dataset parser (PS3.5 7): explicit/implicit VR, little/big endian, sequences and items of defined
/// and undefined length, encapsulated pixel data, and the broken encodings real devices produce. It reports what it
/// parses to an <see cref="IDicomReaderObserver"/> and throws only <see cref="DicomFormatException"/> for bad input.
/// </summary>
public sealed partial class DicomReader
{
    private const uint UndefinedLength = 0xFFFFFFFF;

    private readonly DicomByteSource _source;
    private readonly DicomReaderOptions _options;
    private readonly IDicomReaderObserver _observer;
    private readonly CancellationToken _cancellationToken;
    private int _elementCount;
    private int _itemCount;

    // Context implicit VR needs: the Pixel Representation seen last (decides "US or SS") and, per nesting level,
    // the private creators of the current item (to look private tags up in the private dictionary).
    private int _pixelRepresentation;
    private Dictionary<uint, string>?[] _creators = [];

    internal DicomReader(DicomByteSource source, DicomReaderOptions options, IDicomReaderObserver observer, CancellationToken cancellationToken)
    {
        _source = source;
        _options = options;
        _observer = observer;
        _cancellationToken = cancellationToken;
    }

    /// <summary>True when the last top-level parse ended at <see cref="DicomReaderOptions.StopAt"/> rather than at the end of data.</summary>
    internal bool Stopped { get; private set; }

    /// <summary>Parses a raw dataset (no preamble or meta) held in memory.</summary>
    public static DicomDataset ReadDataset(ReadOnlyMemory<byte> data, DicomTransferSyntax syntax, DicomReaderOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var builder = new DicomDatasetBuilder();
        ReadDataset(data, syntax, builder, options, cancellationToken);
        builder.Complete();
        return builder.Root;
    }

    /// <summary>Parses a raw dataset from memory into any observer.</summary>
    public static void ReadDataset(ReadOnlyMemory<byte> data, DicomTransferSyntax syntax, IDicomReaderObserver observer,
        DicomReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= DicomReaderOptions.Default;
        var source = new DicomByteSource(data);
        if (!syntax.IsDeflated)
        {
            new DicomReader(source, options, observer, cancellationToken).ReadTopLevel(DicomEncoding.Of(syntax), stopAtNonMetaGroup: false);
            return;
        }
        using var inflating = DicomInflater.Open(source, options);
        using var inflated = new DicomByteSource(inflating, allowLazy: false);
        new DicomReader(inflated, options, observer, cancellationToken).ReadTopLevel(DicomEncoding.Of(syntax), stopAtNonMetaGroup: false);
    }

    /// <summary>Parses a raw dataset from a stream (read synchronously, in bounded chunks; every value is loaded).</summary>
    public static DicomDataset ReadDataset(Stream stream, DicomTransferSyntax syntax, DicomReaderOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var builder = new DicomDatasetBuilder();
        ReadDataset(stream, syntax, builder, options, cancellationToken);
        builder.Complete();
        return builder.Root;
    }

    /// <summary>Parses a raw dataset from a stream into any observer; returns true when it stopped at <see cref="DicomReaderOptions.StopAt"/>.</summary>
    public static bool ReadDataset(Stream stream, DicomTransferSyntax syntax, IDicomReaderObserver observer,
        DicomReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= DicomReaderOptions.Default;
        using var streamSource = new DicomByteSource(stream, allowLazy: false);
        using var inflating = syntax.IsDeflated ? DicomInflater.Open(streamSource, options) : null;
        using var inflated = inflating is null ? null : new DicomByteSource(inflating, allowLazy: false);
        var reader = new DicomReader(inflated ?? streamSource, options, observer, cancellationToken);
        reader.ReadTopLevel(DicomEncoding.Of(syntax), stopAtNonMetaGroup: false);
        return reader.Stopped;
    }

    /// <summary>Reads top-level elements to the end of data, to StopAt, or (for file meta) to the first non-0002 group.</summary>
    internal void ReadTopLevel(DicomEncoding encoding, bool stopAtNonMetaGroup)
    {
        Stopped = false;
        ReadElements(encoding, end: -1, untilItemDelimiter: false, depth: 0, stopAtNonMetaGroup);
    }

    private void ReadElements(DicomEncoding encoding, long end, bool untilItemDelimiter, int depth, bool stopAtNonMetaGroup = false)
    {
        var src = _source;
        while (true)
        {
            if (end >= 0)
            {
                if (src.Position == end) return;
                if (src.Position > end) throw new DicomFormatException("an element runs past the end of its item", src.Position);
            }
            if (!src.Ensure(8))
            {
                int left = src.Available;
                if (end < 0 && !untilItemDelimiter)
                {
                    // A clean end, or a few trailing pad bytes some writers leave after the last element.
                    if (left == 0 || IsAllZero(src.AvailableSpan)) { src.Advance(left); return; }
                }
                if (left == 0 && untilItemDelimiter)
                    throw new DicomFormatException("data ends inside an item of undefined length (no item delimiter)", src.Position);
                throw new DicomFormatException($"data ends inside an element header ({left} bytes left)", src.Position);
            }

            var head = src.Peek(8);
            var tag = ReadTag(head, encoding.IsBigEndian);
            if (depth == 0)
            {
                if (stopAtNonMetaGroup && tag.Group != 0x0002) return;
                if (_options.StopAt is { } stop && tag >= stop) { Stopped = true; return; }
            }
            _cancellationToken.ThrowIfCancellationRequested();
            if (++_elementCount > _options.MaxTotalElements)
                throw new DicomFormatException($"more than {_options.MaxTotalElements} elements", src.Position);

            if (tag.Group == 0xFFFE)
            {
                uint delimiterLength = ReadUInt32(head[4..], encoding.IsBigEndian);
                if (delimiterLength == UndefinedLength)
                    throw new DicomFormatException($"{tag} has an undefined length, which a delimiter cannot have", src.Position);
                if (tag == DicomTag.ItemDelimitation && untilItemDelimiter) { src.Advance(8); return; }
                if (tag == DicomTag.SequenceDelimitation && depth == 0 && delimiterLength == 0)
                {
                    // A stray sequence delimiter at the top level (seen after pixel data from some writers): harmless.
                    src.Advance(8);
                    continue;
                }
                if (tag == DicomTag.ItemDelimitation && end >= 0 && delimiterLength == 0)
                {
                    // An item of defined length closed with a delimiter as well: tolerated, skip to the item's end.
                    src.Advance(8);
                    continue;
                }
                throw new DicomFormatException($"unexpected {tag} where a data element was expected", src.Position);
            }

            long elementStart = src.Position;
            ReadHeader(encoding, tag, depth, out var vr, out var length, out var vrFromStream);
            // Sequences of defined length are clamped to the data instead (see ReadSequence).
            if (length != UndefinedLength && vr != DicomVR.SQ && length > src.Remaining)
                throw new DicomFormatException($"{tag} claims {length} bytes but only {src.Remaining} remain", elementStart);
            if (end >= 0 && (src.Position > end || (length != UndefinedLength && vr != DicomVR.SQ && length > end - src.Position)))
                throw new DicomFormatException($"{tag} runs past the end of its item", elementStart);

            if (length == UndefinedLength)
            {
                ReadUndefinedLength(encoding, tag, vr, vrFromStream, depth, elementStart);
                continue;
            }
            if (vr == DicomVR.SQ)
            {
                ReadSequence(encoding, tag, length, depth + 1, end);
                continue;
            }
            if (vr == DicomVR.UN && vrFromStream && encoding.IsExplicitVR && !encoding.IsBigEndian
                && _options.ReplaceUnknownVRWithDictionaryVR && !tag.IsPrivate && DicomDictionary.TryLookup(tag, out var entry)
                && entry.VR != DicomVR.UN)
            {
                // UN values are always implicit VR little endian (PS3.5 6.2.2), so a known SQ can be parsed as one.
                if (entry.VR == DicomVR.SQ)
                {
                    ReadSequence(DicomEncoding.ImplicitLittleEndian, tag, length, depth + 1, end);
                    continue;
                }
                var known = ImplicitVR(tag, _pixelRepresentation);
                if (length % DicomEncoding.SwapUnit(known) == 0) vr = known;
            }
            var value = ReadValue(length, encoding.IsBigEndian ? DicomEncoding.SwapUnit(vr) : 1, tag);
            if (tag.IsPrivateCreator) RememberCreator(tag, value, depth);
            else if (tag.Value == 0x00280103 && value.Length == 2 && value.IsLoaded) _pixelRepresentation = BinaryPrimitives.ReadUInt16LittleEndian(value.Span);
            _observer.OnElement(tag, vr, value);
        }
    }

    private void ReadUndefinedLength(DicomEncoding encoding, DicomTag tag, DicomVR vr, bool vrFromStream, int depth, long elementStart)
    {
        bool pixelLike = IsEncapsulatedPixelTag(tag);
        if (!vrFromStream)
        {
            // Implicit VR: only encapsulated pixel data or a sequence can have an undefined length, whatever the
            // dictionary says (private tags it does not know, or knows as OB).
            if (pixelLike) ReadFragments(encoding, tag, DicomVR.OB);
            else ReadSequence(encoding, tag, -1, depth + 1);
        }
        else if (vr == DicomVR.SQ)
        {
            ReadSequence(encoding, tag, -1, depth + 1);
        }
        else if (vr == DicomVR.UN)
        {
            if (pixelLike) ReadFragments(encoding, tag, DicomVR.OB);
            else ReadSequence(DicomEncoding.ImplicitLittleEndian, tag, -1, depth + 1);
        }
        else if (vr == DicomVR.OB || vr == DicomVR.OW)
        {
            ReadFragments(encoding, tag, DicomVR.OB);
        }
        else
        {
            throw new DicomFormatException($"{tag} with VR {vr} has an undefined length, which only SQ, UN, OB and OW may have", elementStart);
        }
    }

    private static bool IsEncapsulatedPixelTag(DicomTag tag)
        => tag == DicomTags.PixelData || tag.Value == 0x7FE00008 || tag.Value == 0x7FE00009;

    private void ReadHeader(DicomEncoding encoding, DicomTag tag, int depth, out DicomVR vr, out uint length, out bool vrFromStream)
    {
        var src = _source;
        var head = src.Peek(8);
        if (encoding.IsExplicitVR)
        {
            byte b4 = head[4], b5 = head[5];
            if (DicomVR.TryGet(b4, b5, out vr))
            {
                vrFromStream = true;
                if (vr.HasLongExplicitLength)
                {
                    if (!src.Ensure(12)) throw new DicomFormatException($"data ends inside the header of {tag}", src.Position);
                    length = ReadUInt32(src.Peek(12)[8..], encoding.IsBigEndian);
                    src.Advance(12);
                }
                else
                {
                    length = encoding.IsBigEndian ? BinaryPrimitives.ReadUInt16BigEndian(head[6..]) : BinaryPrimitives.ReadUInt16LittleEndian(head[6..]);
                    src.Advance(8);
                }
                return;
            }
            if (IsUpperAscii(b4) && IsUpperAscii(b5))
            {
                // An unknown (future) VR: PS3.5 7.1.2 says to read it as UN with the 32-bit length form.
                vrFromStream = true;
                vr = DicomVR.UN;
                if (!src.Ensure(12)) throw new DicomFormatException($"data ends inside the header of {tag}", src.Position);
                length = ReadUInt32(src.Peek(12)[8..], encoding.IsBigEndian);
                src.Advance(12);
                return;
            }
            // Not a VR at all: the writer used implicit VR here (seen in meta groups and mislabelled datasets).
        }
        vrFromStream = false;
        vr = ImplicitVRInContext(tag, depth);
        length = ReadUInt32(head[4..], encoding.IsBigEndian);
        src.Advance(8);
    }

    private DicomBuffer ReadValue(uint length, int swapUnit, DicomTag tag)
    {
        var src = _source;
        if (length > _options.MaxElementLength)
            throw new DicomFormatException($"{tag} claims {length} bytes, more than the limit of {_options.MaxElementLength}", src.Position);
        if (length > src.Remaining)
            throw new DicomFormatException($"{tag} claims {length} bytes but only {src.Remaining} remain", src.Position);
        if (length >= _options.LargeValueThreshold && src.FilePath is { } path && length > 0)
        {
            var lazy = new FileRangeBuffer(path, src.Position, length, swapUnit).Lazy();
            src.Skip(length);
            return lazy;
        }
        var memory = src.ReadValue(length);
        if (swapUnit > 1 && memory.Length >= swapUnit)
        {
            var copy = memory.ToArray();
            ByteSwap.InPlace(copy, swapUnit);
            return DicomBuffer.From(copy);
        }
        return DicomBuffer.From(memory);
    }

    private static DicomTag ReadTag(ReadOnlySpan<byte> b, bool bigEndian)
        => bigEndian
            ? new DicomTag(BinaryPrimitives.ReadUInt16BigEndian(b), BinaryPrimitives.ReadUInt16BigEndian(b[2..]))
            : new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(b), BinaryPrimitives.ReadUInt16LittleEndian(b[2..]));

    private static uint ReadUInt32(ReadOnlySpan<byte> b, bool bigEndian)
        => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);

    private static bool IsUpperAscii(byte b) => b is >= (byte)'A' and <= (byte)'Z';

    private static bool IsAllZero(ReadOnlySpan<byte> bytes) => !bytes.ContainsAnyExcept((byte)0);
}
