using System.Buffers.Binary;

namespace Agent.Dicom.Pixels;

/// <summary>
/// A Modality LUT from the first item of (0028,3000) (PS3.3 C.11.1): LUT Descriptor = entries (0 means 65536), first
/// stored value mapped (signed when the pixels are), bits per entry (8 or 16). Values outside the table take its first
/// or last entry.
/// </summary>
internal sealed class ModalityLut
{
    private readonly ushort[] _table;
    private readonly int _first;

    private ModalityLut(ushort[] table, int first)
    {
        _table = table;
        _first = first;
    }

    public float Map(int stored)
    {
        long i = (long)stored - _first;
        return _table[i < 0 ? 0 : i >= _table.Length ? _table.Length - 1 : (int)i];
    }

    public static ModalityLut? From(DicomDataset dataset, bool signedPixels)
    {
        if (dataset.GetFirstItem(DicomTags.ModalityLUTSequence) is not { } item) return null;
        var descriptor = item.GetValues<ushort>(DicomTags.LUTDescriptor);
        if (descriptor.Length < 3) throw new DicomFormatException("Modality LUT Descriptor (0028,3002) needs 3 values");
        int entries = descriptor[0] == 0 ? 65536 : descriptor[0];
        int first = signedPixels ? (short)descriptor[1] : descriptor[1];
        int bits = descriptor[2];
        if (bits is < 8 or > 16) throw new DicomFormatException($"Modality LUT entries of {bits} bits are not 8-16");
        if (item.GetItem(DicomTags.LUTData) is not DicomElement data)
            throw new DicomFormatException("Modality LUT Sequence item has no LUT Data (0028,3006)");
        var bytes = data.Buffer.Span;
        var table = new ushort[entries];
        ushort mask = (ushort)((1 << bits) - 1);
        if (bytes.Length >= 2L * entries)
        {
            for (int i = 0; i < entries; i++) table[i] = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]) & mask);
        }
        else if (bits == 8 && bytes.Length >= entries)
        {
            // 8-bit entries packed one per byte in an OW value.
            for (int i = 0; i < entries; i++) table[i] = bytes[i];
        }
        else
        {
            throw new DicomFormatException($"LUT Data holds {bytes.Length} bytes, fewer than {entries} entries of {bits} bits");
        }
        return new ModalityLut(table, first);
    }
}
