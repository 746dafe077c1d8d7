using System.Buffers.Binary;
using Agent.Dicom;

namespace Agent.Dicom.Network.Files;

/// <summary>
/// Encodes and decodes query identifiers (small data sets: text, numbers, sequences) in implicit or explicit VR little
/// endian. Query identifiers need nothing more; full data-format I/O lives in Agent.Dicom.IO.
/// </summary>
public static class IdentifierCodec
{
    private const int MaxDepth = 16;

    public static byte[] Encode(DicomDataset dataset, bool explicitVR)
    {
        using var ms = new MemoryStream();
        Write(ms, dataset, explicitVR);
        return ms.ToArray();
    }

    private static void Write(MemoryStream ms, DicomDataset dataset, bool explicitVR)
    {
        Span<byte> h = stackalloc byte[12];
        foreach (var item in dataset)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(h, item.Tag.Group);
            BinaryPrimitives.WriteUInt16LittleEndian(h[2..], item.Tag.Element);
            if (item is DicomSequence seq)
            {
                WriteHeader(ms, h, DicomVR.SQ, 0xFFFFFFFF, explicitVR);
                foreach (var child in seq.Items)
                {
                    using var inner = new MemoryStream();
                    Write(inner, child, explicitVR);
                    WriteTag(ms, 0xFFFE, 0xE000, (uint)inner.Length);
                    inner.WriteTo(ms);
                }
                WriteTag(ms, 0xFFFE, 0xE0DD, 0);
            }
            else if (item is DicomElement e)
            {
                var value = e.Buffer.Span;
                WriteHeader(ms, h, e.VR, (uint)value.Length, explicitVR);
                ms.Write(value);
            }
            else
            {
                throw new DicomFormatException($"{item.Tag}: encapsulated data cannot be part of a query identifier");
            }
        }
    }

    private static void WriteHeader(MemoryStream ms, Span<byte> h, DicomVR vr, uint length, bool explicitVR)
    {
        if (!explicitVR)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(h[4..], length);
            ms.Write(h[..8]);
        }
        else if (vr.HasLongExplicitLength)
        {
            h[4] = (byte)vr.Code[0]; h[5] = (byte)vr.Code[1]; h[6] = 0; h[7] = 0;
            BinaryPrimitives.WriteUInt32LittleEndian(h[8..], length);
            ms.Write(h[..12]);
        }
        else
        {
            h[4] = (byte)vr.Code[0]; h[5] = (byte)vr.Code[1];
            BinaryPrimitives.WriteUInt16LittleEndian(h[6..], (ushort)length);
            ms.Write(h[..8]);
        }
    }

    private static void WriteTag(MemoryStream ms, ushort g, ushort e, uint length)
    {
        Span<byte> h = stackalloc byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(h, g);
        BinaryPrimitives.WriteUInt16LittleEndian(h[2..], e);
        BinaryPrimitives.WriteUInt32LittleEndian(h[4..], length);
        ms.Write(h);
    }

    /// <summary>Decodes an identifier; throws <see cref="DicomFormatException"/> when malformed.</summary>
    public static DicomDataset Decode(ReadOnlyMemory<byte> bytes, bool explicitVR)
    {
        int pos = 0;
        var ds = ReadDataset(bytes, ref pos, bytes.Length, explicitVR, 0, isItem: false);
        return ds;
    }

    private static DicomDataset ReadDataset(ReadOnlyMemory<byte> bytes, ref int pos, int end, bool explicitVR, int depth, bool isItem)
    {
        if (depth > MaxDepth) throw new DicomFormatException($"sequences nested deeper than {MaxDepth}", pos);
        var ds = new DicomDataset();
        var span = bytes.Span;
        while (pos < end)
        {
            if (end - pos < 8) throw new DicomFormatException("truncated element header", pos);
            var group = BinaryPrimitives.ReadUInt16LittleEndian(span[pos..]);
            var element = BinaryPrimitives.ReadUInt16LittleEndian(span[(pos + 2)..]);
            var tag = new DicomTag(group, element);
            if (tag == DicomTag.ItemDelimitation)
            {
                if (!isItem) throw new DicomFormatException("item delimitation outside an item", pos);
                pos += 8;
                return ds;
            }
            DicomVR vr;
            uint length;
            if (explicitVR)
            {
                if (!DicomVR.TryGet(span[pos + 4], span[pos + 5], out vr)) throw new DicomFormatException($"{tag}: unknown VR", pos);
                if (vr.HasLongExplicitLength)
                {
                    if (end - pos < 12) throw new DicomFormatException("truncated element header", pos);
                    length = BinaryPrimitives.ReadUInt32LittleEndian(span[(pos + 8)..]);
                    pos += 12;
                }
                else
                {
                    length = BinaryPrimitives.ReadUInt16LittleEndian(span[(pos + 6)..]);
                    pos += 8;
                }
            }
            else
            {
                vr = DicomDictionary.DefaultVR(tag);
                length = BinaryPrimitives.ReadUInt32LittleEndian(span[(pos + 4)..]);
                pos += 8;
                if (length == 0xFFFFFFFF) vr = DicomVR.SQ;
            }
            if (vr == DicomVR.SQ || (vr == DicomVR.UN && length == 0xFFFFFFFF))
            {
                ds.AddOrUpdate(ReadSequence(bytes, ref pos, end, tag, length, explicitVR, depth));
                continue;
            }
            if (length == 0xFFFFFFFF) throw new DicomFormatException($"{tag}: undefined length outside a sequence", pos);
            if (length > (uint)(end - pos)) throw new DicomFormatException($"{tag}: length {length} runs past the data", pos);
            ds.AddOrUpdate(new DicomElement(tag, vr, DicomBuffer.From(bytes.Slice(pos, (int)length).ToArray())));
            pos += (int)length;
        }
        if (isItem && end != pos) throw new DicomFormatException("item overruns its length", pos);
        return ds;
    }

    private static DicomSequence ReadSequence(ReadOnlyMemory<byte> bytes, ref int pos, int end, DicomTag tag, uint length, bool explicitVR, int depth)
    {
        int seqEnd = end;
        bool undefined = length == 0xFFFFFFFF;
        if (!undefined)
        {
            if (length > (uint)(end - pos)) throw new DicomFormatException($"{tag}: sequence length {length} runs past the data", pos);
            seqEnd = pos + (int)length;
        }
        var seq = new DicomSequence(tag);
        var span = bytes.Span;
        while (pos < seqEnd)
        {
            if (seqEnd - pos < 8) throw new DicomFormatException("truncated item header", pos);
            var g = BinaryPrimitives.ReadUInt16LittleEndian(span[pos..]);
            var e = BinaryPrimitives.ReadUInt16LittleEndian(span[(pos + 2)..]);
            var len = BinaryPrimitives.ReadUInt32LittleEndian(span[(pos + 4)..]);
            pos += 8;
            if (g == 0xFFFE && e == 0xE0DD) return seq;
            if (g != 0xFFFE || e != 0xE000) throw new DicomFormatException($"{tag}: expected an item, found ({g:X4},{e:X4})", pos - 8);
            int itemEnd;
            if (len == 0xFFFFFFFF) itemEnd = seqEnd;
            else
            {
                if (len > (uint)(seqEnd - pos)) throw new DicomFormatException($"{tag}: item length {len} runs past the sequence", pos);
                itemEnd = pos + (int)len;
            }
            var item = ReadDataset(bytes, ref pos, itemEnd, explicitVR, depth + 1, isItem: len == 0xFFFFFFFF);
            seq.Add(item);
        }
        if (undefined) throw new DicomFormatException($"{tag}: sequence without delimitation", pos);
        return seq;
    }
}
