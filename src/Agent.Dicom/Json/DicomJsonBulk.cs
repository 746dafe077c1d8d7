using System.Buffers.Binary;
using System.Text.Json;

namespace Agent.Dicom.Json;

/// <summary>Bulk values: base64 "InlineBinary", or "BulkDataURI" from the caller's handler above a size threshold.</summary>
internal static class DicomJsonBulk
{
    private static long Base64Length(long bytes) => (bytes + 2) / 3 * 4;

    public static void WriteElement(DicomElement element, Utf8JsonWriter writer, DicomJsonOptions options)
    {
        if (TryWriteUri(element, element.Length, writer, options)) return;
        if (options.SkipUnloadedBulkData && !element.Buffer.IsLoaded) return;
        writer.WriteBase64String("InlineBinary", element.Buffer.Span);
    }

    /// <summary>
    /// Encapsulated pixel data inline is the value's encoded form (items with their tags, without the sequence
    /// delimiter), which is what other toolkits (pydicom) put there too.
    /// </summary>
    public static void WriteFragments(DicomFragmentSequence fragments, Utf8JsonWriter writer, DicomJsonOptions options)
    {
        long total = 8 + 4L * fragments.OffsetTable.Count;
        foreach (var f in fragments.Fragments) total += 8 + f.Length;
        if (TryWriteUri(fragments, total, writer, options)) return;
        if (options.SkipUnloadedBulkData && fragments.Fragments.Any(f => !f.IsLoaded)) return;
        if (total > Array.MaxLength) throw new DicomFormatException($"encapsulated value of {total} bytes is too large to write inline");
        var bytes = new byte[total];
        var span = bytes.AsSpan();
        int pos = WriteItemHeader(span, 4 * fragments.OffsetTable.Count);
        foreach (var offset in fragments.OffsetTable) { BinaryPrimitives.WriteUInt32LittleEndian(span[pos..], offset); pos += 4; }
        foreach (var f in fragments.Fragments)
        {
            pos += WriteItemHeader(span[pos..], (int)f.Length);
            f.Span.CopyTo(span[pos..]);
            pos += (int)f.Length;
        }
        writer.WriteBase64String("InlineBinary", bytes);
    }

    private static int WriteItemHeader(Span<byte> span, int length)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(span, DicomTag.Item.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], DicomTag.Item.Element);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], length);
        return 8;
    }

    private static bool TryWriteUri(DicomItem item, long length, Utf8JsonWriter writer, DicomJsonOptions options)
    {
        if (options.BulkDataUriHandler is not { } handler || Base64Length(length) <= options.BulkDataThreshold) return false;
        var uri = handler(item);
        if (uri is null) return false;
        writer.WriteString("BulkDataURI", uri);
        return true;
    }
}
