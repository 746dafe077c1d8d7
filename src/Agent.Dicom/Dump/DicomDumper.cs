using System.Globalization;

namespace Agent.Dicom.Dump;

/// <summary>
/// A human-readable dump in the style of DCMTK's dcmdump: one line per element,
/// <c>(0010,0010) PN [Doe^John]    #   8, 1 PatientName</c>, nested items indented by two spaces, the meta group first.
/// </summary>
public static class DicomDumper
{
    private const int ValueColumn = 40;

    /// <summary>Dumps a file: its meta group (when it had one) first, then its dataset.</summary>
    public static void Dump(DicomFile file, TextWriter writer, DicomDumpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        Dump(file.HadMeta ? file.Meta : null, file.Dataset, file.TransferSyntax, writer, options);
    }

    /// <summary>Dumps a Part 10 file's meta group (when given) and dataset, as dcmdump does.</summary>
    public static void Dump(DicomDataset? meta, DicomDataset dataset, DicomTransferSyntax syntax, TextWriter writer, DicomDumpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(syntax);
        ArgumentNullException.ThrowIfNull(writer);
        options ??= DicomDumpOptions.Default;
        if (meta is not null)
        {
            writer.WriteLine();
            writer.WriteLine("# Dicom-File-Format");
            writer.WriteLine();
            writer.WriteLine("# Dicom-Meta-Information-Header");
            writer.WriteLine($"# Used TransferSyntax: {DicomTransferSyntax.ExplicitVRLittleEndian.Name}");
            WriteDataset(meta, writer, options, 0);
            writer.WriteLine();
        }
        writer.WriteLine("# Dicom-Data-Set");
        writer.WriteLine($"# Used TransferSyntax: {syntax.Name}");
        WriteDataset(dataset, writer, options, 0);
    }

    /// <summary>Dumps a dataset on its own (no meta group).</summary>
    public static void Dump(DicomDataset dataset, TextWriter writer, DicomDumpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(writer);
        WriteDataset(dataset, writer, options ?? DicomDumpOptions.Default, 0);
    }

    public static string DumpToString(DicomDataset dataset, DicomDumpOptions? options = null)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Dump(dataset, writer, options);
        return writer.ToString();
    }

    private static void WriteDataset(DicomDataset dataset, TextWriter writer, DicomDumpOptions options, int depth)
    {
        if (depth > options.MaxDepth) throw new DicomFormatException($"sequences nested deeper than {options.MaxDepth} levels");
        foreach (var item in dataset)
        {
            switch (item)
            {
                case DicomSequence sequence:
                    Line(writer, depth, item.Tag, "SQ", $"(Sequence with undefined length #={sequence.Items.Count})", "u/l", 1, Name(dataset, item.Tag));
                    foreach (var child in sequence.Items)
                    {
                        Line(writer, depth + 1, DicomTag.Item, "na", $"(Item with undefined length #={child.Count})", "u/l", 1, "Item");
                        WriteDataset(child, writer, options, depth + 2);
                        Line(writer, depth + 1, DicomTag.ItemDelimitation, "na", "(ItemDelimitationItem)", "0", 0, "ItemDelimitationItem");
                    }
                    Line(writer, depth, DicomTag.SequenceDelimitation, "na", "(SequenceDelimitationItem)", "0", 0, "SequenceDelimitationItem");
                    break;
                case DicomFragmentSequence fragments:
                    WriteFragments(fragments, writer, options, depth);
                    break;
                case DicomElement element:
                    var (value, vm) = DumpValues.Format(dataset, element, options.MaxValueLength);
                    Line(writer, depth, item.Tag, item.VR.Code, value, element.Length.ToString(CultureInfo.InvariantCulture), vm, Name(dataset, item.Tag));
                    break;
            }
        }
    }

    private static void WriteFragments(DicomFragmentSequence fragments, TextWriter writer, DicomDumpOptions options, int depth)
    {
        Line(writer, depth, fragments.Tag, fragments.VR.Code, $"(PixelSequence #={fragments.Fragments.Count + 1})", "u/l", 1, Name(fragments.Tag));
        var table = fragments.OffsetTable.Count == 0
            ? "(no value available)"
            : DumpValues.Cut(string.Join('\\', fragments.OffsetTable.Select(o => o.ToString("x8", CultureInfo.InvariantCulture))), options.MaxValueLength);
        Line(writer, depth + 1, DicomTag.Item, "pi", table, (4 * fragments.OffsetTable.Count).ToString(CultureInfo.InvariantCulture), 1, "Item");
        foreach (var fragment in fragments.Fragments)
        {
            var value = DumpValues.Bytes(fragment, options.MaxValueLength);
            Line(writer, depth + 1, DicomTag.Item, "pi", value, fragment.Length.ToString(CultureInfo.InvariantCulture), 1, "Item");
        }
        Line(writer, depth, DicomTag.SequenceDelimitation, "na", "(SequenceDelimitationItem)", "0", 0, "SequenceDelimitationItem");
    }

    private static string Name(DicomTag tag) => Name(null, tag);

    /// <summary>The PS3.6 keyword, or for a private element the private dictionary's, found through its creator.</summary>
    private static string Name(DicomDataset? dataset, DicomTag tag)
    {
        var keyword = DicomDictionary.Keyword(tag);
        if (keyword.Length > 0) return keyword;
        if (dataset is not null && tag.IsPrivate && !tag.IsPrivateCreator && dataset.GetString(tag.PrivateCreatorSlot) is { Length: > 0 } creator
            && DicomDictionary.TryLookupPrivate(creator, tag, out var entry))
            return entry.Keyword.Length > 0 ? entry.Keyword : entry.Name;
        if (tag.IsPrivateCreator) return "PrivateCreator";
        return tag.IsGroupLength ? "GenericGroupLength" : "Unknown Tag & Data";
    }

    private static void Line(TextWriter writer, int depth, DicomTag tag, string vr, string value, string length, int vm, string name)
    {
        var tagText = string.Create(CultureInfo.InvariantCulture, $"({tag.Group:x4},{tag.Element:x4})");
        writer.Write(new string(' ', 2 * depth));
        writer.Write(tagText);
        writer.Write(' ');
        writer.Write(vr);
        writer.Write(' ');
        writer.Write(value.PadRight(ValueColumn));
        // dcmdump's layout: "# " + length in 3 columns + "," + multiplicity in 2 columns.
        writer.Write(" # ");
        writer.Write(length.PadLeft(3));
        writer.Write(',');
        writer.Write(vm.ToString(CultureInfo.InvariantCulture).PadLeft(2));
        writer.Write(' ');
        writer.WriteLine(name);
    }
}
