using Agent.Dicom.IO;
using Agent.Dicom.Tests.Support;

namespace Agent.Dicom.Tests;

public class ReaderTests
{
    private const uint PrivateCreator = 0x00290010;
    private const uint PrivateSeq = 0x00291010;
    private const uint PrivateValue = 0x00291020;

    private static DicomDataset ReadExplicit(byte[] bytes, DicomReaderOptions? options = null)
        => DicomReader.ReadDataset(bytes, DicomTransferSyntax.ExplicitVRLittleEndian, options);

    [Fact]
    public void Explicit_little_endian_elements_are_read_with_their_vr_and_value()
    {
        var bytes = new DicomBytes().Explicit(0x00100010, "PN", "Doe^John").Explicit(0x00280010, "US", [0x00, 0x02]).ToArray();
        var ds = ReadExplicit(bytes);
        Assert.Equal("Doe^John", ds.GetString(DicomTags.PatientName));
        var rows = (DicomElement)ds.GetItem(new DicomTag(0x00280010))!;
        Assert.Same(DicomVR.US, rows.VR);
        Assert.Equal((ushort)512, ds.GetNumber<ushort>(rows.Tag));
    }

    [Fact]
    public void Big_endian_values_are_swapped_per_vr_unit_and_at_as_two_halves()
    {
        var b = new DicomBytes { BigEndian = true };
        b.Explicit(0x00280010, "US", [0x02, 0x00]);
        b.Explicit(0x00281050, "DS", "40");
        b.Explicit(0x00209165, "AT", [0x00, 0x20, 0x00, 0x32]);
        b.Explicit(0x00540081, "UL", [0x00, 0x00, 0x01, 0x02]);
        b.Explicit(0x300A0082, "FD", [0x3F, 0xF0, 0, 0, 0, 0, 0, 0]);
        b.Explicit(0x7FE00010, "OW", [0x01, 0x02, 0x03, 0x04]);
        var ds = DicomReader.ReadDataset(b.ToArray(), DicomTransferSyntax.ExplicitVRBigEndian);
        Assert.Equal((ushort)512, ds.GetNumber<ushort>(new DicomTag(0x00280010)));
        Assert.Equal("40", ds.GetString(new DicomTag(0x00281050)));
        Assert.Equal(new byte[] { 0x20, 0x00, 0x32, 0x00 }, ((DicomElement)ds.GetItem(new DicomTag(0x00209165))!).Buffer.Span.ToArray());
        Assert.Equal(0x0102u, ds.GetNumber<uint>(new DicomTag(0x00540081)));
        Assert.Equal(1.0, ds.GetNumber<double>(new DicomTag(0x300A0082)));
        Assert.Equal(new byte[] { 0x02, 0x01, 0x04, 0x03 }, ((DicomElement)ds.GetItem(DicomTags.PixelData)!).Buffer.Span.ToArray());
    }

    [Fact]
    public void Implicit_private_element_with_undefined_length_is_read_as_a_sequence()
    {
        var b = new DicomBytes();
        b.Implicit(PrivateCreator, "ACME 1.0");
        b.Tag(PrivateSeq).U32(0xFFFFFFFF);
        b.Item().Implicit(PrivateValue, "AB").ItemEnd();
        b.Item(10).Implicit(PrivateValue, "CD");
        b.SequenceEnd();
        b.Implicit(0x00291030, "EF");
        var ds = DicomReader.ReadDataset(b.ToArray(), DicomTransferSyntax.ImplicitVRLittleEndian);
        var seq = ds.GetSequence(new DicomTag(PrivateSeq));
        Assert.NotNull(seq);
        Assert.Equal(2, seq.Items.Count);
        Assert.Same(ds, seq.Items[0].Parent);
        Assert.True(ds.Contains(new DicomTag(0x00291030)));
    }

    [Fact]
    public void Un_with_undefined_length_holds_an_implicit_little_endian_sequence()
    {
        var b = new DicomBytes();
        b.Tag(PrivateSeq).Ascii("UN").U16(0).U32(0xFFFFFFFF);
        b.Item().Implicit(PrivateValue, "XY").ItemEnd().SequenceEnd();
        b.Explicit(0x00291030, "LO", "EF");
        var ds = ReadExplicit(b.ToArray());
        var seq = ds.GetSequence(new DicomTag(PrivateSeq));
        Assert.NotNull(seq);
        Assert.Equal("XY", seq.Items[0].GetString(new DicomTag(PrivateValue)));
        Assert.Equal("EF", ds.GetString(new DicomTag(0x00291030)));
    }

    [Fact]
    public void Sequences_and_items_of_defined_length_are_read()
    {
        var item = new DicomBytes().Explicit(0x00081150, "UI", "1.2").ToArray();
        var b = new DicomBytes();
        b.Tag(0x00081140).Ascii("SQ").U16(0).U32((uint)(item.Length + 8));
        b.Item((uint)item.Length).Raw(item);
        b.Explicit(0x00100010, "PN", "A^B ");
        var ds = ReadExplicit(b.ToArray());
        Assert.Equal("1.2", ds.GetFirstItem(new DicomTag(0x00081140))!.GetString(new DicomTag(0x00081150)));
        Assert.Equal("A^B", ds.GetString(DicomTags.PatientName));
    }

    [Fact]
    public void Encapsulated_pixel_data_becomes_fragments_with_the_offset_table()
    {
        var b = new DicomBytes();
        b.Tag(0x7FE00010).Ascii("OB").U16(0).U32(0xFFFFFFFF);
        b.Item(8).U32(0).U32(12);
        b.Item(4).Raw(1, 2, 3, 4);
        b.Item(2).Raw(5, 6);
        b.SequenceEnd();
        var ds = DicomReader.ReadDataset(b.ToArray(), DicomTransferSyntax.JPEGBaseline);
        var f = Assert.IsType<DicomFragmentSequence>(ds.GetItem(DicomTags.PixelData));
        Assert.Equal([0u, 12u], f.OffsetTable);
        Assert.Equal(2, f.Fragments.Count);
        Assert.Equal(new byte[] { 5, 6 }, f.Fragments[1].Span.ToArray());
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_rejected()
    {
        var b = new DicomBytes();
        for (int i = 0; i < 10; i++) b.Tag(PrivateSeq).Ascii("SQ").U16(0).U32(0xFFFFFFFF).Item();
        var ex = Assert.Throws<DicomFormatException>(() => ReadExplicit(b.ToArray(), new DicomReaderOptions { MaxDepth = 5 }));
        Assert.Contains("nested deeper than 5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_length_beyond_the_data_is_rejected_without_allocating_it()
    {
        var bytes = new DicomBytes().Explicit(0x00291010, "OB", [1, 2, 3, 4], length: 0x7FFF0000).ToArray();
        var ex = Assert.Throws<DicomFormatException>(() => ReadExplicit(bytes));
        Assert.Contains("claims", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_length_on_a_stream_that_cannot_seek_fails_at_the_end_of_data_with_bounded_allocation()
    {
        var bytes = new DicomBytes().Explicit(0x00291010, "OB", new byte[100], length: 0x7FFF0000).ToArray();
        using var stream = new NonSeekableStream(bytes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<DicomFormatException>(() => DicomReader.ReadDataset(stream, DicomTransferSyntax.ExplicitVRLittleEndian));
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 8 << 20, "allocated more than 8 MiB for a 100-byte value");
    }

    [Fact]
    public void Undefined_length_on_a_plain_value_is_rejected()
    {
        var bytes = new DicomBytes().Tag(0x00291010).Ascii("UT").U16(0).U32(0xFFFFFFFF).ToArray();
        var ex = Assert.Throws<DicomFormatException>(() => ReadExplicit(bytes));
        Assert.Contains("undefined length", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_element_running_past_its_item_is_rejected()
    {
        var b = new DicomBytes();
        b.Tag(PrivateSeq).Ascii("SQ").U16(0).U32(0xFFFFFFFF);
        b.Item(6).Explicit(PrivateValue, "LO", "ABCD").SequenceEnd();
        Assert.Throws<DicomFormatException>(() => ReadExplicit(b.ToArray()));
    }

    [Fact]
    public void Odd_lengths_from_broken_devices_are_read_as_they_are()
    {
        var bytes = new DicomBytes().Explicit(0x00100010, "PN", "Doe").Explicit(0x00100020, "LO", "12").ToArray();
        var ds = ReadExplicit(bytes);
        Assert.Equal("Doe", ds.GetString(DicomTags.PatientName));
        Assert.Equal("12", ds.GetString(new DicomTag(0x00100020)));
    }

    [Fact]
    public void Stop_at_leaves_the_tag_and_everything_after_it_unread()
    {
        var bytes = new DicomBytes().Explicit(0x00100010, "PN", "Doe ").Explicit(0x7FE00010, "OW", new byte[64]).ToArray();
        var ds = ReadExplicit(bytes, new DicomReaderOptions { StopAt = DicomTags.PixelData });
        Assert.True(ds.Contains(DicomTags.PatientName));
        Assert.False(ds.Contains(DicomTags.PixelData));
    }

    [Fact]
    public void Element_count_limit_is_enforced()
    {
        var b = new DicomBytes();
        for (uint i = 0; i < 20; i++) b.Explicit(0x00291000 + i, "OB", [0, 0]);
        var ex = Assert.Throws<DicomFormatException>(() => ReadExplicit(b.ToArray(), new DicomReaderOptions { MaxTotalElements = 10 }));
        Assert.Contains("more than 10 elements", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Item_count_limit_is_enforced()
    {
        var b = new DicomBytes();
        b.Tag(PrivateSeq).Ascii("SQ").U16(0).U32(0xFFFFFFFF);
        for (int i = 0; i < 20; i++) b.Item(0);
        b.SequenceEnd();
        Assert.Throws<DicomFormatException>(() => ReadExplicit(b.ToArray(), new DicomReaderOptions { MaxItems = 10 }));
    }

    [Fact]
    public void Garbage_where_an_item_should_be_is_rejected_with_the_sequence_named()
    {
        var b = new DicomBytes();
        b.Tag(PrivateSeq).Ascii("SQ").U16(0).U32(0xFFFFFFFF);
        b.Explicit(PrivateValue, "LO", "AB");
        var ex = Assert.Throws<DicomFormatException>(() => ReadExplicit(b.ToArray()));
        Assert.Contains("expected an item in sequence (0029,1010)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_element_without_a_vr_in_explicit_data_is_read_as_implicit()
    {
        var bytes = new DicomBytes().Implicit(0x00291010, [1, 2]).Explicit(0x00291020, "LO", "AB").ToArray();
        var ds = ReadExplicit(bytes);
        Assert.Equal(2, ds.Count);
        Assert.Equal("AB", ds.GetString(new DicomTag(0x00291020)));
    }

    [Fact]
    public void Observer_sees_sequence_and_item_events_in_stream_order()
    {
        var b = new DicomBytes();
        b.Tag(PrivateSeq).Ascii("SQ").U16(0).U32(0xFFFFFFFF);
        b.Item().Explicit(PrivateValue, "LO", "AB").ItemEnd().SequenceEnd();
        var log = new RecordingObserver();
        DicomReader.ReadDataset(b.ToArray(), DicomTransferSyntax.ExplicitVRLittleEndian, log);
        Assert.Equal(["seq (0029,1010)", "item", "el (0029,1020) LO", "/item", "/seq"], log.Events);
    }

    private sealed class RecordingObserver : IDicomReaderObserver
    {
        public List<string> Events { get; } = [];
        public void OnElement(DicomTag tag, DicomVR vr, DicomBuffer value) => Events.Add($"el {tag} {vr}");
        public void OnBeginSequence(DicomTag tag, DicomVR vr, long length) => Events.Add($"seq {tag}");
        public void OnBeginItem(long length) => Events.Add("item");
        public void OnEndItem() => Events.Add("/item");
        public void OnEndSequence() => Events.Add("/seq");
        public void OnBeginFragments(DicomTag tag, DicomVR vr) => Events.Add("frags");
        public void OnFragment(DicomBuffer fragment) => Events.Add("frag");
        public void OnEndFragments() => Events.Add("/frags");
    }
}

public class ReaderImplicitVRTests
{
    [Fact]
    public void Us_or_ss_values_follow_pixel_representation_in_implicit_vr()
    {
        var b = new DicomBytes();
        b.Implicit(0x00280103, [1, 0]);
        b.Implicit(0x00280106, [0xFF, 0xFF]);
        var ds = DicomReader.ReadDataset(b.ToArray(), DicomTransferSyntax.ImplicitVRLittleEndian);
        Assert.Same(DicomVR.SS, ds.GetItem(new DicomTag(0x00280106))!.VR);
        Assert.Equal((short)-1, ds.GetNumber<short>(new DicomTag(0x00280106)));
    }

    [Fact]
    public void Us_or_ss_values_are_us_without_pixel_representation()
    {
        var ds = DicomReader.ReadDataset(new DicomBytes().Implicit(0x00280106, [0xFF, 0xFF]).ToArray(), DicomTransferSyntax.ImplicitVRLittleEndian);
        Assert.Same(DicomVR.US, ds.GetItem(new DicomTag(0x00280106))!.VR);
    }

    [Fact]
    public void Implicit_pixel_data_is_ow()
    {
        var ds = DicomReader.ReadDataset(new DicomBytes().Implicit(0x7FE00010, [1, 2]).ToArray(), DicomTransferSyntax.ImplicitVRLittleEndian);
        Assert.Same(DicomVR.OW, ds.GetItem(DicomTags.PixelData)!.VR);
    }

    [Fact]
    public void Known_private_tags_get_their_vr_from_the_private_dictionary_in_implicit_vr()
    {
        var b = new DicomBytes();
        b.Implicit(0x00290010, "SIEMENS CSA HEADER");
        b.Implicit(0x00291008, "IMAGE NUM 4 ");
        b.Implicit(0x00291010, [1, 2, 3, 4]);
        var ds = DicomReader.ReadDataset(b.ToArray(), DicomTransferSyntax.ImplicitVRLittleEndian);
        Assert.Same(DicomVR.CS, ds.GetItem(new DicomTag(0x00291008))!.VR);
        Assert.Same(DicomVR.OB, ds.GetItem(new DicomTag(0x00291010))!.VR);
    }

    [Fact]
    public void Private_creators_of_an_item_do_not_leak_into_the_next_item()
    {
        var b = new DicomBytes();
        b.Tag(0x00291100).U32(0xFFFFFFFF);
        b.Item().Implicit(0x00290010, "SIEMENS CSA HEADER").Implicit(0x00291008, "AB").ItemEnd();
        b.Item().Implicit(0x00291008, "AB").ItemEnd();
        b.SequenceEnd();
        var ds = DicomReader.ReadDataset(b.ToArray(), DicomTransferSyntax.ImplicitVRLittleEndian);
        var seq = ds.GetSequence(new DicomTag(0x00291100))!;
        Assert.Same(DicomVR.CS, seq.Items[0].GetItem(new DicomTag(0x00291008))!.VR);
        Assert.Same(DicomVR.UN, seq.Items[1].GetItem(new DicomTag(0x00291008))!.VR);
    }

    [Fact]
    public void Private_tags_without_a_known_creator_stay_un_in_implicit_vr()
    {
        var b = new DicomBytes().Implicit(0x00290010, "NOBODY KNOWS ME ").Implicit(0x00291001, "AB");
        var ds = DicomReader.ReadDataset(b.ToArray(), DicomTransferSyntax.ImplicitVRLittleEndian);
        Assert.Same(DicomVR.UN, ds.GetItem(new DicomTag(0x00291001))!.VR);
        Assert.Same(DicomVR.LO, ds.GetItem(new DicomTag(0x00290010))!.VR);
    }

    [Fact]
    public void A_delimiter_with_an_undefined_length_is_rejected()
    {
        var b = new DicomBytes().Tag(0x00291010).U32(0xFFFFFFFF).Item().Tag(0xFFFEE00D).U32(0xFFFFFFFF);
        var ex = Assert.Throws<DicomFormatException>(() => DicomReader.ReadDataset(b.ToArray(), DicomTransferSyntax.ImplicitVRLittleEndian));
        Assert.Contains("undefined length", ex.Message, StringComparison.Ordinal);
    }
}

public class ReaderUndefinedLengthTests
{
    [Fact]
    public void Implicit_undefined_length_is_a_sequence_even_when_the_private_dictionary_says_ob()
    {
        var b = new DicomBytes();
        b.Implicit(0x00290010, "SIEMENS CSA HEADER");
        b.Tag(0x00291010).U32(0xFFFFFFFF).Item().Implicit(0x00291008, "AB").ItemEnd().SequenceEnd();
        var ds = DicomReader.ReadDataset(b.ToArray(), DicomTransferSyntax.ImplicitVRLittleEndian);
        Assert.IsType<DicomSequence>(ds.GetItem(new DicomTag(0x00291010)));
    }

    [Fact]
    public void Explicit_un_of_a_known_public_sequence_is_parsed_as_that_sequence()
    {
        var item = new DicomBytes().Implicit(0x00081150, "1.2\0").ToArray();
        var content = new DicomBytes().Item((uint)item.Length).Raw(item).ToArray();
        var b = new DicomBytes().Explicit(0x00081140, "UN", content);
        var ds = DicomReader.ReadDataset(b.ToArray(), DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.Equal("1.2", ds.GetFirstItem(new DicomTag(0x00081140))!.GetString(new DicomTag(0x00081150)));
    }

    [Fact]
    public void Explicit_un_of_a_known_public_tag_gets_the_dictionary_vr()
    {
        var ds = DicomReader.ReadDataset(new DicomBytes().Explicit(0x00280010, "UN", [0, 2]).ToArray(), DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.Same(DicomVR.US, ds.GetItem(new DicomTag(0x00280010))!.VR);
        Assert.Equal((ushort)512, ds.GetNumber<ushort>(new DicomTag(0x00280010)));
    }
}

public class ReaderOrderTests
{
    [Fact]
    public void Elements_out_of_order_are_sorted_and_the_last_duplicate_wins()
    {
        var b = new DicomBytes().Explicit(0x00100020, "LO", "ID").Explicit(0x00080060, "CS", "CT").Explicit(0x00100020, "LO", "I2")
            .Explicit(0x00080050, "SH", "AC");
        var ds = DicomReader.ReadDataset(b.ToArray(), DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.Equal([0x00080050u, 0x00080060u, 0x00100020u], ds.Select(i => i.Tag.Value));
        Assert.Equal("I2", ds.GetString(new DicomTag(0x00100020)));
    }

    [Fact]
    public void Many_elements_in_descending_order_parse_without_quadratic_cost()
    {
        var b = new DicomBytes();
        for (uint i = 200_000; i > 0; i--) b.Implicit(0x00290000 | (i % 0xFF00 + 0x100) | ((i / 0xFF00) << 17), []);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var ds = DicomReader.ReadDataset(b.ToArray(), DicomTransferSyntax.ImplicitVRLittleEndian, null, cts.Token);
        Assert.True(ds.Count > 100_000);
        Assert.True(ds.Zip(ds.Skip(1)).All(p => p.First.Tag < p.Second.Tag));
    }
}

public class ReaderClampTests
{
    [Fact]
    public void A_sequence_longer_than_its_enclosing_item_is_clamped_to_the_item()
    {
        var inner = new DicomBytes().Item(12).Explicit(0x00081150, "UI", "1.2\0").ToArray();
        var innerSeq = new DicomBytes().Tag(0x00081199).Ascii("SQ").U16(0).U32(1000).Raw(inner).ToArray();
        var b = new DicomBytes();
        b.Tag(0x00081140).Ascii("SQ").U16(0).U32(0xFFFFFFFF);
        b.Item((uint)innerSeq.Length).Raw(innerSeq);
        b.SequenceEnd();
        b.Explicit(0x00100010, "PN", "A^B ");
        var ds = DicomReader.ReadDataset(b.ToArray(), DicomTransferSyntax.ExplicitVRLittleEndian);
        var item = ds.GetFirstItem(new DicomTag(0x00081140))!;
        Assert.Equal("1.2", item.GetFirstItem(new DicomTag(0x00081199))!.GetString(new DicomTag(0x00081150)));
        Assert.Equal("A^B", ds.GetString(DicomTags.PatientName));
    }
}
