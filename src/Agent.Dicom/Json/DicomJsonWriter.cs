using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Agent.Dicom.Json;

/// <summary>
/// Writes a dataset in the DICOM JSON model (PS3.18 Annex F.2): one object per dataset keyed by "GGGGEEEE", each
/// attribute an object with "vr" and, unless empty, "Value", "InlineBinary" or "BulkDataURI".
/// </summary>
public static class DicomJsonWriter
{
    private static readonly JsonWriterOptions Compact = new()
    {
        // Names and codes stay readable; this output is not embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    public static void Write(DicomDataset dataset, Utf8JsonWriter writer, DicomJsonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(writer);
        WriteDataset(dataset, writer, options ?? DicomJsonOptions.Default, 0);
    }

    /// <summary>The dataset as a JSON text.</summary>
    public static string WriteToString(DicomDataset dataset, DicomJsonOptions? options = null, bool indented = false)
    {
        using var stream = new MemoryStream();
        WriteToStream(dataset, stream, options, indented);
        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    public static void WriteToStream(DicomDataset dataset, Stream stream, DicomJsonOptions? options = null, bool indented = false)
    {
        using var writer = new Utf8JsonWriter(stream, Compact with { Indented = indented });
        Write(dataset, writer, options);
        writer.Flush();
    }

    private static void WriteDataset(DicomDataset dataset, Utf8JsonWriter writer, DicomJsonOptions options, int depth)
    {
        if (depth > options.MaxDepth)
            throw new DicomFormatException($"sequences nested deeper than {options.MaxDepth} levels cannot be written as JSON");
        writer.WriteStartObject();
        foreach (var item in dataset)
        {
            writer.WritePropertyName(item.Tag.ToHex());
            writer.WriteStartObject();
            writer.WriteString("vr", item.VR.Code);
            switch (item)
            {
                case DicomSequence sequence:
                    // F.2.5: an empty sequence has no "Value".
                    if (sequence.Items.Count > 0)
                    {
                        writer.WriteStartArray("Value");
                        foreach (var child in sequence.Items) WriteDataset(child, writer, options, depth + 1);
                        writer.WriteEndArray();
                    }
                    break;
                case DicomFragmentSequence fragments:
                    DicomJsonBulk.WriteFragments(fragments, writer, options);
                    break;
                case DicomElement element:
                    WriteElement(dataset, element, writer, options);
                    break;
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private static void WriteElement(DicomDataset dataset, DicomElement element, Utf8JsonWriter writer, DicomJsonOptions options)
    {
        if (element.Length == 0) return;
        var vr = element.VR;
        switch (vr.Kind)
        {
            case DicomVRKind.Bulk:
                DicomJsonBulk.WriteElement(element, writer, options);
                return;
            case DicomVRKind.Sequence:
                // An SQ element whose items were never parsed: nothing faithful can be written but its presence.
                return;
            case DicomVRKind.Binary:
                DicomJsonValues.WriteBinary(element, writer);
                return;
            default:
                DicomJsonValues.WriteText(dataset, element, writer);
                return;
        }
    }
}
