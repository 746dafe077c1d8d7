using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Agent.Dicom.Json;

/// <summary>Options of <see cref="DicomJsonReader"/>.</summary>
public sealed class DicomJsonReaderOptions
{
    public static DicomJsonReaderOptions Default { get; } = new();

    /// <summary>Fetches the bytes behind a "BulkDataURI"; without it such attributes are a format error.</summary>
    public Func<string, DicomTag, DicomVR, DicomBuffer>? BulkDataResolver { get; init; }

    /// <summary>JSON nesting allowed (each sequence level takes three: object, attribute, array).</summary>
    public int MaxDepth { get; init; } = 200;
}

/// <summary>
/// Reads the DICOM JSON model (PS3.18 F.2) into a dataset, e.g. for STOW-RS metadata or QIDO-RS results. Text is
/// Unicode in JSON: when it holds characters outside ASCII and the dataset names no Specific Character Set, ISO_IR 192
/// (UTF-8) is set so nothing is lost.
/// </summary>
public static class DicomJsonReader
{
    public static DicomDataset Read(string json, DicomJsonReaderOptions? options = null)
        => Read(Encoding.UTF8.GetBytes(json), options);

    /// <summary>Reads one dataset: a JSON object, or an array holding exactly one.</summary>
    public static DicomDataset Read(ReadOnlyMemory<byte> utf8Json, DicomJsonReaderOptions? options = null)
    {
        var all = ReadAll(utf8Json, options);
        return all.Count == 1 ? all[0] : throw new DicomFormatException($"expected one dataset, the JSON holds {all.Count}");
    }

    /// <summary>Reads every dataset of a QIDO-RS / WADO-RS metadata answer (a JSON array), or a single object.</summary>
    public static IReadOnlyList<DicomDataset> ReadAll(ReadOnlyMemory<byte> utf8Json, DicomJsonReaderOptions? options = null)
    {
        options ??= DicomJsonReaderOptions.Default;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, new JsonDocumentOptions { MaxDepth = options.MaxDepth });
        }
        catch (JsonException e)
        {
            throw new DicomFormatException($"not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            var roots = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
            var datasets = new List<DicomDataset>(roots.Count);
            foreach (var json in roots)
            {
                var dataset = new DicomDataset();
                if (!HasCharacterSet(json) && HasNonAscii(json, 0))
                    dataset.AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
                ReadDataset(json, dataset, options);
                datasets.Add(dataset);
            }
            return datasets;
        }
    }

    private static bool HasCharacterSet(JsonElement root)
        => root.ValueKind == JsonValueKind.Object && root.TryGetProperty("00080005", out _);

    private static bool HasNonAscii(JsonElement element, int depth)
    {
        if (depth > 512) return false;
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return element.GetString()!.Any(c => c > 0x7F);
            case JsonValueKind.Array:
                foreach (var child in element.EnumerateArray()) if (HasNonAscii(child, depth + 1)) return true;
                return false;
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject())
                    if (p.Name != "InlineBinary" && HasNonAscii(p.Value, depth + 1)) return true;
                return false;
            default:
                return false;
        }
    }

    private static void ReadDataset(JsonElement json, DicomDataset dataset, DicomJsonReaderOptions options)
    {
        if (json.ValueKind != JsonValueKind.Object) throw new DicomFormatException($"a dataset must be a JSON object, not {json.ValueKind}");
        // Specific Character Set first: the text of every later attribute is encoded with it.
        var ordered = json.EnumerateObject().OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var property in ordered)
        {
            if (!DicomTag.TryParse(property.Name, out var tag) || property.Name.Length != 8)
                throw new DicomFormatException($"'{property.Name}' is not a tag in GGGGEEEE form");
            if (property.Value.ValueKind != JsonValueKind.Object)
                throw new DicomFormatException($"attribute {tag} must be a JSON object");
            dataset.AddOrUpdate(ReadAttribute(tag, property.Value, dataset, options));
        }
    }

    private static DicomItem ReadAttribute(DicomTag tag, JsonElement json, DicomDataset dataset, DicomJsonReaderOptions options)
    {
        DicomVR vr = json.TryGetProperty("vr", out var vrText) && vrText.ValueKind == JsonValueKind.String
            ? (DicomVR.TryParse(vrText.GetString()!, out var parsed) ? parsed : throw new DicomFormatException($"attribute {tag} has unknown vr '{vrText.GetString()}'"))
            : DicomDictionary.DefaultVR(tag);
        if (json.TryGetProperty("BulkDataURI", out var uri))
        {
            if (options.BulkDataResolver is not { } resolve)
                throw new DicomFormatException($"attribute {tag} refers to bulk data at a URI and no resolver was given");
            if (uri.ValueKind != JsonValueKind.String) throw new DicomFormatException($"attribute {tag} BulkDataURI must be a string");
            return new DicomElement(tag, vr, resolve(uri.GetString()!, tag, vr));
        }
        if (json.TryGetProperty("InlineBinary", out var inline))
        {
            if (inline.ValueKind != JsonValueKind.String || !inline.TryGetBytesFromBase64(out var bytes))
                throw new DicomFormatException($"attribute {tag} InlineBinary is not base64");
            // Kept byte for byte (the writer pads odd lengths when encoding), so JSON -> dataset -> JSON is exact.
            return new DicomElement(tag, vr, DicomBuffer.From(bytes));
        }
        if (!json.TryGetProperty("Value", out var value) || value.ValueKind == JsonValueKind.Null)
            return vr == DicomVR.SQ ? new DicomSequence(tag) : new DicomElement(tag, vr, DicomBuffer.Empty);
        if (value.ValueKind != JsonValueKind.Array) throw new DicomFormatException($"attribute {tag} Value must be an array");
        if (vr == DicomVR.SQ)
        {
            var sequence = new DicomSequence(tag);
            foreach (var itemJson in value.EnumerateArray())
            {
                var item = new DicomDataset { Parent = dataset };
                if (itemJson.ValueKind != JsonValueKind.Null) ReadDataset(itemJson, item, options);
                sequence.Add(item);
            }
            return sequence;
        }
        if (vr.Kind == DicomVRKind.Binary) return new DicomElement(tag, vr, DicomBuffer.From(DicomText.PadEven(Binary(tag, vr, value), 0)));
        if (vr.Kind != DicomVRKind.String) throw new DicomFormatException($"attribute {tag} of VR {vr} needs InlineBinary or BulkDataURI, not Value");
        var texts = value.EnumerateArray().Select(v => Text(tag, vr, v)).ToArray();
        var joined = string.Join('\\', texts);
        var encoded = vr.UsesSpecificCharacterSet ? dataset.CharacterSet.Encode(joined, vr) : DicomText.EncodeAscii(joined);
        return new DicomElement(tag, vr, DicomBuffer.From(DicomText.PadEven(encoded, vr.PaddingByte)));
    }

    private static string Text(DicomTag tag, DicomVR vr, JsonElement v)
    {
        switch (v.ValueKind)
        {
            case JsonValueKind.Null:
                return "";
            case JsonValueKind.String:
                return v.GetString()!;
            case JsonValueKind.Number when vr == DicomVR.DS:
                return DecimalText(v);
            case JsonValueKind.Number:
                return v.GetRawText();
            case JsonValueKind.Object when vr == DicomVR.PN:
                // Groups up to the last one present, so "A=B=" written as three groups reads back as three.
                string?[] groups = ["Alphabetic", "Ideographic", "Phonetic"];
                for (int g = 0; g < groups.Length; g++)
                    groups[g] = v.TryGetProperty(groups[g]!, out var p) && p.ValueKind is JsonValueKind.String or JsonValueKind.Null ? p.GetString() ?? "" : null;
                int last = Array.FindLastIndex(groups, g => g is not null);
                return string.Join('=', groups.Take(last + 1).Select(g => g ?? ""));
            default:
                throw new DicomFormatException($"attribute {tag} ({vr}) has a {v.ValueKind} value");
        }
    }

    /// <summary>DS holds at most 16 characters: long JSON numbers are rounded to fit.</summary>
    private static string DecimalText(JsonElement v)
    {
        var raw = v.GetRawText();
        if (raw.Length <= 16) return raw;
        var d = v.GetDouble();
        for (int digits = 16; digits > 1; digits--)
        {
            var s = d.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            if (s.Length <= 16) return s;
        }
        return d.ToString("G1", CultureInfo.InvariantCulture);
    }

    private static byte[] Binary(DicomTag tag, DicomVR vr, JsonElement values)
    {
        var bytes = new byte[values.GetArrayLength() * vr.UnitSize];
        int i = 0;
        foreach (var v in values.EnumerateArray())
        {
            var span = bytes.AsSpan(i, vr.UnitSize);
            i += vr.UnitSize;
            try
            {
                if (vr == DicomVR.AT)
                {
                    if (v.ValueKind != JsonValueKind.String || !DicomTag.TryParse(v.GetString()!, out var at))
                        throw new DicomFormatException($"attribute {tag} AT value must be a \"GGGGEEEE\" string");
                    BinaryPrimitives.WriteUInt16LittleEndian(span, at.Group);
                    BinaryPrimitives.WriteUInt16LittleEndian(span[2..], at.Element);
                    continue;
                }
                var number = v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText();
                var inv = CultureInfo.InvariantCulture;
                switch (vr.Code)
                {
                    case "US": BinaryPrimitives.WriteUInt16LittleEndian(span, ushort.Parse(number, inv)); break;
                    case "SS": BinaryPrimitives.WriteInt16LittleEndian(span, short.Parse(number, inv)); break;
                    case "UL": BinaryPrimitives.WriteUInt32LittleEndian(span, uint.Parse(number, inv)); break;
                    case "SL": BinaryPrimitives.WriteInt32LittleEndian(span, int.Parse(number, inv)); break;
                    case "SV": BinaryPrimitives.WriteInt64LittleEndian(span, long.Parse(number, inv)); break;
                    case "UV": BinaryPrimitives.WriteUInt64LittleEndian(span, ulong.Parse(number, inv)); break;
                    case "FL": BinaryPrimitives.WriteSingleLittleEndian(span, float.Parse(number, NumberStyles.Float, inv)); break;
                    default: BinaryPrimitives.WriteDoubleLittleEndian(span, double.Parse(number, NumberStyles.Float, inv)); break;
                }
            }
            catch (Exception e) when (e is FormatException or OverflowException or InvalidOperationException)
            {
                throw new DicomFormatException($"attribute {tag} value {v.GetRawText()} is not a valid {vr}", e);
            }
        }
        return bytes;
    }
}
