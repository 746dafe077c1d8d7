using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;

namespace Agent.Dicom.Json;

/// <summary>Text and binary number values of the JSON model (F.2.3): strings, numbers, PN objects, AT hex strings.</summary>
internal static class DicomJsonValues
{
    public static void WriteText(DicomDataset dataset, DicomElement element, Utf8JsonWriter writer)
    {
        var vr = element.VR;
        var text = dataset.DecodeText(element);
        if (text.Length == 0) return; // only padding: empty per F.2.5
        string[] values = vr.IsBackslashMultiValued ? text.Split('\\') : [text];
        writer.WriteStartArray("Value");
        foreach (var raw in values)
        {
            var value = DicomText.TrimValue(raw, vr);
            // F.2.5: an empty value among several is null.
            if (value.Length == 0) writer.WriteNullValue();
            else if (vr == DicomVR.PN) WritePersonName(value, writer);
            else if (vr == DicomVR.DS) WriteDecimal(value, writer);
            else if (vr == DicomVR.IS) WriteInteger(value, writer);
            else writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }

    private static readonly string[] PersonNameGroups = ["Alphabetic", "Ideographic", "Phonetic"];

    /// <summary>F.2.2: component groups separated by '=' become Alphabetic, Ideographic and Phonetic.</summary>
    private static void WritePersonName(string value, Utf8JsonWriter writer)
    {
        var groups = value.Split('=');
        // Trailing empty groups are only delimiters (PS3.5 6.2.1.1 allows leaving them out); pydicom drops them too.
        int count = Math.Min(groups.Length, PersonNameGroups.Length);
        while (count > 1 && groups[count - 1].Length == 0) count--;
        writer.WriteStartObject();
        for (int i = 0; i < count; i++)
            writer.WriteString(PersonNameGroups[i], groups[i]);
        writer.WriteEndObject();
    }

    /// <summary>
    /// DS as a JSON number. Text that already is a valid JSON number is written as is, so no digits are lost or
    /// invented; other forms (".5", "+1", "1.") are normalised through double. Unparsable text stays a string rather
    /// than being dropped.
    /// </summary>
    private static void WriteDecimal(string value, Utf8JsonWriter writer)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
        {
            writer.WriteStringValue(value);
            return;
        }
        if (IsJsonNumber(value)) writer.WriteRawValue(value, skipInputValidation: true);
        else writer.WriteNumberValue(d);
    }

    private static void WriteInteger(string value, Utf8JsonWriter writer)
    {
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            writer.WriteNumberValue(n);
        else if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                 && d == Math.Floor(d) && Math.Abs(d) < 9.2e18)
            writer.WriteNumberValue((long)d); // "1.0" is tolerated by readers as the integer 1
        else
            writer.WriteStringValue(value);
    }

    /// <summary>RFC 8259 number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</summary>
    internal static bool IsJsonNumber(ReadOnlySpan<char> s)
    {
        int i = 0;
        if (i < s.Length && s[i] == '-') i++;
        if (i >= s.Length) return false;
        if (s[i] == '0') i++;
        else if (s[i] is >= '1' and <= '9') { while (i < s.Length && char.IsAsciiDigit(s[i])) i++; }
        else return false;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            int start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            if (i == start) return false;
        }
        if (i < s.Length && s[i] is 'e' or 'E')
        {
            i++;
            if (i < s.Length && s[i] is '+' or '-') i++;
            int start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            if (i == start) return false;
        }
        return i == s.Length;
    }

    public static void WriteBinary(DicomElement element, Utf8JsonWriter writer)
    {
        var span = element.Buffer.Span;
        var vr = element.VR;
        int unit = vr.UnitSize;
        int count = span.Length / unit;
        if (count == 0) return;
        writer.WriteStartArray("Value");
        for (int i = 0; i < count; i++)
        {
            var v = span.Slice(i * unit, unit);
            switch (vr.Code)
            {
                case "AT":
                    var tag = new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(v), BinaryPrimitives.ReadUInt16LittleEndian(v[2..]));
                    writer.WriteStringValue(tag.ToHex());
                    break;
                case "US": writer.WriteNumberValue(BinaryPrimitives.ReadUInt16LittleEndian(v)); break;
                case "SS": writer.WriteNumberValue(BinaryPrimitives.ReadInt16LittleEndian(v)); break;
                case "UL": writer.WriteNumberValue(BinaryPrimitives.ReadUInt32LittleEndian(v)); break;
                case "SL": writer.WriteNumberValue(BinaryPrimitives.ReadInt32LittleEndian(v)); break;
                case "SV": writer.WriteNumberValue(BinaryPrimitives.ReadInt64LittleEndian(v)); break;
                case "UV": writer.WriteNumberValue(BinaryPrimitives.ReadUInt64LittleEndian(v)); break;
                case "FL": WriteFloat(BinaryPrimitives.ReadSingleLittleEndian(v), writer); break;
                case "FD": WriteFloat(BinaryPrimitives.ReadDoubleLittleEndian(v), writer); break;
            }
        }
        writer.WriteEndArray();
    }

    /// <summary>JSON has no NaN or infinities; they are written as the strings "NaN", "Infinity", "-Infinity".</summary>
    private static void WriteFloat(double value, Utf8JsonWriter writer)
    {
        if (double.IsFinite(value)) writer.WriteNumberValue(value);
        else writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }
}
