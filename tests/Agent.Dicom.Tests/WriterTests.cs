using System.Buffers.Binary;
using Agent.Dicom.IO;
using Agent.Dicom.Tests.Support;

namespace Agent.Dicom.Tests;

public class WriterTests
{
    public static TheoryData<string> NativeSyntaxes() =>
    [
        DicomTransferSyntax.ImplicitVRLittleEndian.Uid,
        DicomTransferSyntax.ExplicitVRLittleEndian.Uid,
        DicomTransferSyntax.ExplicitVRBigEndian.Uid,
        DicomTransferSyntax.DeflatedExplicitVRLittleEndian.Uid,
    ];

    [Theory]
    [MemberData(nameof(NativeSyntaxes))]
    public void Every_native_syntax_reads_back_what_was_written(string uid)
    {
        var syntax = DicomTransferSyntax.Lookup(uid);
        var ds = SampleDatasets.Ct();
        // Implicit VR loses VRs the dictionary must restore; compare bytes only there.
        SampleDatasets.AssertSame(ds, SampleDatasets.RoundTrip(ds, syntax), ignoreVR: !syntax.IsExplicitVR);
    }

    [Theory]
    [MemberData(nameof(NativeSyntaxes))]
    public void Defined_length_sequences_read_back_the_same(string uid)
    {
        var syntax = DicomTransferSyntax.Lookup(uid);
        var ds = SampleDatasets.Ct();
        var options = new DicomWriterOptions { DefinedLengthSequences = true };
        SampleDatasets.AssertSame(ds, SampleDatasets.RoundTrip(ds, syntax, options), ignoreVR: !syntax.IsExplicitVR);
        var bytes = DicomWriter.Encode(ds, syntax.IsDeflated ? DicomTransferSyntax.ExplicitVRLittleEndian : syntax, options);
        Assert.Equal(bytes.Length, DicomWriter.MeasureDefinedLength(ds, syntax.IsDeflated ? DicomTransferSyntax.ExplicitVRLittleEndian : syntax));
    }

    [Fact]
    public void Undefined_length_sequences_end_with_delimiters()
    {
        var ds = new DicomDataset().AddOrUpdate(new DicomTag(0x00081140), new DicomDataset());
        var bytes = DicomWriter.Encode(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
        var expected = new DicomBytes().Tag(0x00081140).Ascii("SQ").U16(0).U32(0xFFFFFFFF).Item().ItemEnd().SequenceEnd().ToArray();
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Big_endian_output_swaps_words_and_keeps_bytes()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(new DicomTag(0x00280010), DicomVR.US, (ushort)0x0102);
        ds.AddOrUpdateBytes(new DicomTag(0x00291010), DicomVR.OB, new byte[] { 1, 2 });
        var bytes = DicomWriter.Encode(ds, DicomTransferSyntax.ExplicitVRBigEndian);
        var expected = new DicomBytes { BigEndian = true }.Explicit(0x00280010, "US", [0x01, 0x02]).Explicit(0x00291010, "OB", [1, 2]).ToArray();
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Group_lengths_are_not_written()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(new DicomTag(0x00080000), DicomVR.UL, 100u);
        ds.AddOrUpdate(new DicomTag(0x00080060), DicomVR.CS, "CT");
        var back = SampleDatasets.RoundTrip(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.False(back.Contains(new DicomTag(0x00080000)));
        Assert.Equal("CT", back.GetString(new DicomTag(0x00080060)));
    }

    [Fact]
    public void Odd_length_values_are_padded_with_the_vr_padding_byte()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdateBytes(new DicomTag(0x00080018), DicomVR.UI, "1.2.3"u8.ToArray());
        ds.AddOrUpdateBytes(DicomTags.PatientName, DicomVR.PN, "Doe"u8.ToArray());
        var bytes = DicomWriter.Encode(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.Equal(0, bytes[8 + 5]);
        Assert.Equal((byte)' ', bytes[^1]);
    }

    [Fact]
    public void Text_too_long_for_a_16_bit_length_is_written_as_un()
    {
        var ds = new DicomDataset().AddOrUpdateBytes(new DicomTag(0x00081030), DicomVR.LO, new byte[70_000]);
        var back = SampleDatasets.RoundTrip(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
        var e = (DicomElement)back.GetItem(new DicomTag(0x00081030))!;
        Assert.Equal(70_000, e.Length);
    }

    [Fact]
    public void Fragments_are_written_with_offset_table_and_delimiter()
    {
        var f = new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB);
        f.OffsetTable.Add(0);
        f.Fragments.Add(DicomBuffer.From(new byte[] { 1, 2, 3 }));
        var ds = new DicomDataset().AddOrUpdate(f);
        var bytes = DicomWriter.Encode(ds, DicomTransferSyntax.JPEGBaseline);
        var expected = new DicomBytes().Tag(0x7FE00010).Ascii("OB").U16(0).U32(0xFFFFFFFF)
            .Item(4).U32(0).Item(4).Raw(1, 2, 3, 0).SequenceEnd().ToArray();
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Fragments_cannot_be_written_in_implicit_vr()
    {
        var ds = new DicomDataset().AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB));
        Assert.Throws<DicomFormatException>(() => DicomWriter.Encode(ds, DicomTransferSyntax.ImplicitVRLittleEndian));
    }

    [Fact]
    public async Task Async_writing_produces_the_same_bytes_as_sync()
    {
        var ds = SampleDatasets.Ct(64, 64);
        var sync = DicomWriter.Encode(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
        using var ms = new MemoryStream();
        await DicomWriter.WriteAsync(ms, ds, DicomTransferSyntax.ExplicitVRLittleEndian, null, CancellationToken.None);
        Assert.Equal(sync, ms.ToArray());
    }

    [Fact]
    public void Implicit_vr_writes_tag_and_32_bit_length_only()
    {
        var ds = new DicomDataset().AddOrUpdate(new DicomTag(0x00080060), DicomVR.CS, "CT");
        var bytes = DicomWriter.Encode(ds, DicomTransferSyntax.ImplicitVRLittleEndian);
        Assert.Equal(10, bytes.Length);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
    }
}

public class WriterVRTests
{
    [Fact]
    public void Un_for_a_known_public_tag_is_written_with_its_dictionary_vr()
    {
        var ds = new DicomDataset().AddOrUpdateBytes(new DicomTag(0x00080060), DicomVR.UN, "CT"u8.ToArray());
        var bytes = DicomWriter.Encode(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.Equal("CS"u8.ToArray(), bytes[4..6]);
    }

    [Fact]
    public void Un_for_a_private_tag_stays_un()
    {
        var ds = new DicomDataset().AddOrUpdateBytes(new DicomTag(0x00291001), DicomVR.UN, "CT"u8.ToArray());
        var bytes = DicomWriter.Encode(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.Equal("UN"u8.ToArray(), bytes[4..6]);
    }
}
