using Agent.Dicom;
using Agent.Dicom.Dump;

namespace Agent.Dicom.Tests;

public class DumpTests
{
    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    [Fact]
    public void Text_elements_print_like_dcmdump_with_length_and_multiplicity()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Doe^John");
        var line = Lines(DicomDumper.DumpToString(ds)).Single();
        Assert.StartsWith("(0010,0010) PN [Doe^John]" + new string(' ', 30) + " #   8, 1 ", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_values_multi_values_numbers_and_tags_are_shown_in_dcmdump_form()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(new DicomTag(0x00080008), DicomVR.CS, "ORIGINAL", "PRIMARY")
            .AddOrUpdate(new DicomTag(0x00080020), DicomVR.DA)
            .AddOrUpdate(new DicomTag(0x00280010), DicomVR.US, (ushort)512)
            .AddOrUpdate(new DicomTag(0x00209165), DicomVR.AT, new ushort[] { 0x0062, 0x000B });
        var lines = Lines(DicomDumper.DumpToString(ds));
        Assert.Contains("CS [ORIGINAL\\PRIMARY]", lines[0], StringComparison.Ordinal);
        Assert.Contains("#  16, 2", lines[0], StringComparison.Ordinal);
        Assert.Contains("DA (no value available)", lines[1], StringComparison.Ordinal);
        Assert.Contains("#   0, 0", lines[1], StringComparison.Ordinal);
        Assert.Contains("US 512 ", lines[3], StringComparison.Ordinal);
        Assert.Contains("AT (0062,000b) ", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Nested_sequences_are_indented_with_item_and_delimiter_markers()
    {
        var inner = new DicomDataset().AddOrUpdate(new DicomTag(0x00081150), DicomVR.UI, "1.2.3");
        var ds = new DicomDataset().AddOrUpdate(new DicomTag(0x00081140), inner);
        var lines = Lines(DicomDumper.DumpToString(ds));
        Assert.Equal(5, lines.Length);
        Assert.StartsWith("(0008,1140) SQ (Sequence with undefined length #=1)", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("  (fffe,e000) na (Item with undefined length #=1)", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("    (0008,1150) UI [1.2.3]", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("  (fffe,e00d) na (ItemDelimitationItem)", lines[3], StringComparison.Ordinal);
        Assert.StartsWith("(fffe,e0dd) na (SequenceDelimitationItem)", lines[4], StringComparison.Ordinal);
    }

    [Fact]
    public void Long_values_are_cut_and_bulk_is_hex()
    {
        var ds = new DicomDataset()
            .AddOrUpdateBytes(DicomTags.PixelData, DicomVR.OW, new byte[1000])
            .AddOrUpdate(new DicomTag(0x00204000), DicomVR.LT, new string('x', 200));
        var lines = Lines(DicomDumper.DumpToString(ds));
        Assert.Contains("[" + new string('x', 64) + "...]", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("(7fe0,0010) OW 0000\\0000\\", lines[1], StringComparison.Ordinal);
        Assert.Contains("...", lines[1], StringComparison.Ordinal);
        Assert.Contains("# 1000, 1", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Lazy_bulk_values_show_their_length_without_being_loaded()
    {
        var path = Path.GetTempFileName();
        try
        {
            // The range lies beyond the end of the empty file: loading it would throw, so the dump proves it did not load.
            var lazy = new FileRangeBuffer(path, 1000, 4096).Lazy();
            var ds = new DicomDataset().AddOrUpdate(new DicomElement(DicomTags.PixelData, DicomVR.OB, lazy));
            var line = Lines(DicomDumper.DumpToString(ds)).Single();
            Assert.Contains("OB (not loaded)", line, StringComparison.Ordinal);
            Assert.Contains("# 4096, 1", line, StringComparison.Ordinal);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Private_elements_are_named_from_the_private_dictionary_through_their_creator()
    {
        // GE's (0009,xx01) and (0009,xxE7) under creator GEMS_IDEN_01, named as DCMTK's dcmdump names them.
        var file = DicomFile.Open(Path.Combine(PydicomCorpus.CorpusFolder, "CT_small.dcm"));
        var lines = Lines(DicomDumper.DumpToString(file.Dataset));
        Assert.Contains("(0009,0010) LO [GEMS_IDEN_01]                           #  12, 1 PrivateCreator", lines);
        Assert.Contains("(0009,1001) LO [GE_GENESIS_FF]                          #  14, 1 FullFidelity", lines);
        Assert.Contains("(0009,10e7) UL 973283917                                #   4, 1 ExamRecordChecksum", lines);
    }

    [Fact]
    public void Meta_group_is_printed_first_under_its_own_header()
    {
        var meta = new DicomDataset().AddOrUpdate(DicomTags.TransferSyntaxUID, DicomVR.UI, DicomTransferSyntax.RLELossless.Uid);
        var ds = new DicomDataset().AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "A");
        using var writer = new StringWriter();
        DicomDumper.Dump(meta, ds, DicomTransferSyntax.RLELossless, writer);
        var lines = Lines(writer.ToString());
        Assert.Equal("# Dicom-Meta-Information-Header", lines[1]);
        Assert.StartsWith("(0002,0010) UI =RLELossless", lines[3], StringComparison.Ordinal);
        Assert.Equal("# Dicom-Data-Set", lines[4]);
        Assert.Equal("# Used TransferSyntax: RLE Lossless", lines[5]);
    }

    [Fact]
    public void Encapsulated_pixel_data_lists_offset_table_and_fragments()
    {
        var frags = new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB);
        frags.Fragments.Add(DicomBuffer.From(new byte[] { 1, 2 }));
        var lines = Lines(DicomDumper.DumpToString(new DicomDataset().AddOrUpdate(frags)));
        Assert.StartsWith("(7fe0,0010) OB (PixelSequence #=2)", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("  (fffe,e000) pi (no value available)", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("  (fffe,e000) pi 01\\02", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("(fffe,e0dd) na", lines[3], StringComparison.Ordinal);
    }
}
