using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Agent.Dicom.Dump;

/// <summary>The value column of a dump line: [text], numbers, (gggg,eeee) tags or hex bytes, cut to a maximum length.</summary>
internal static class DumpValues
{
    public const string Empty = "(no value available)";

    public static (string Value, int VM) Format(DicomDataset dataset, DicomElement element, int max)
    {
        var vr = element.VR;
        // dcmdump counts a bulk value as one value even when it is empty.
        if (element.Length == 0) return (Empty, vr.Kind == DicomVRKind.Bulk ? 1 : 0);
        if (vr.Kind == DicomVRKind.Bulk) return (Bytes(element.Buffer, max, vr.UnitSize), 1);
        if (vr.Kind == DicomVRKind.Sequence) return ("(unparsed sequence)", 1);
        if (vr.Kind == DicomVRKind.Binary) return Numbers(element, max);
        var text = dataset.DecodeText(element);
        if (text.Length == 0) return (Empty, 0);
        // Registered UIDs print as "=Keyword", like dcmdump's "=CTImageStorage".
        if (vr == DicomVR.UI && DicomUids.TryLookup(text, out var uid) && uid.Keyword.Length > 0) return ("=" + uid.Keyword, 1);
        int vm = vr.IsBackslashMultiValued ? text.Count(c => c == '\\') + 1 : 1;
        // Control characters would break the one-line-per-element layout.
        var printable = new StringBuilder(text.Length);
        foreach (var c in text) printable.Append(char.IsControl(c) ? '.' : c);
        return ("[" + Cut(printable.ToString(), max) + "]", vm);
    }

    private static (string, int) Numbers(DicomElement element, int max)
    {
        var span = element.Buffer.Span;
        var vr = element.VR;
        int count = span.Length / vr.UnitSize;
        var text = new StringBuilder();
        for (int i = 0; i < count && (max == 0 || text.Length <= max); i++)
        {
            if (i > 0) text.Append('\\');
            var v = span.Slice(i * vr.UnitSize, vr.UnitSize);
            text.Append(vr.Code switch
            {
                "AT" => string.Create(CultureInfo.InvariantCulture,
                    $"({BinaryPrimitives.ReadUInt16LittleEndian(v):x4},{BinaryPrimitives.ReadUInt16LittleEndian(v[2..]):x4})"),
                "US" => BinaryPrimitives.ReadUInt16LittleEndian(v).ToString(CultureInfo.InvariantCulture),
                "SS" => BinaryPrimitives.ReadInt16LittleEndian(v).ToString(CultureInfo.InvariantCulture),
                "UL" => BinaryPrimitives.ReadUInt32LittleEndian(v).ToString(CultureInfo.InvariantCulture),
                "SL" => BinaryPrimitives.ReadInt32LittleEndian(v).ToString(CultureInfo.InvariantCulture),
                "SV" => BinaryPrimitives.ReadInt64LittleEndian(v).ToString(CultureInfo.InvariantCulture),
                "UV" => BinaryPrimitives.ReadUInt64LittleEndian(v).ToString(CultureInfo.InvariantCulture),
                "FL" => BinaryPrimitives.ReadSingleLittleEndian(v).ToString("R", CultureInfo.InvariantCulture),
                _ => BinaryPrimitives.ReadDoubleLittleEndian(v).ToString("R", CultureInfo.InvariantCulture),
            });
        }
        return (Cut(text.ToString(), max), count);
    }

    /// <summary>Hex bytes (OB, UN) or words (OW and wider, as little-endian units), never loading lazy values.</summary>
    public static string Bytes(DicomBuffer buffer, int max, int unit = 1)
    {
        if (buffer.Length == 0) return Empty;
        if (!buffer.IsLoaded) return "(not loaded)";
        if (unit is not (1 or 2 or 4 or 8)) unit = 1;
        var span = buffer.Span;
        var text = new StringBuilder();
        for (int i = 0; i + unit <= span.Length && (max == 0 || text.Length <= max); i += unit)
        {
            if (i > 0) text.Append('\\');
            var v = span.Slice(i, unit);
            text.Append(unit switch
            {
                1 => v[0].ToString("x2", CultureInfo.InvariantCulture),
                2 => BinaryPrimitives.ReadUInt16LittleEndian(v).ToString("x4", CultureInfo.InvariantCulture),
                4 => BinaryPrimitives.ReadUInt32LittleEndian(v).ToString("x8", CultureInfo.InvariantCulture),
                _ => BinaryPrimitives.ReadUInt64LittleEndian(v).ToString("x16", CultureInfo.InvariantCulture),
            });
        }
        return Cut(text.ToString(), max);
    }

    public static string Cut(string text, int max) => max > 0 && text.Length > max ? text[..max] + "..." : text;
}
