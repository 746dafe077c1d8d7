using Agent.Dicom.Tests.Support;

namespace Agent.Dicom.Tests;

/// <summary>Every file of pydicom's corpus parses, or is rejected with a message that says why.</summary>
public class CorpusTests
{
    /// <summary>Files that are truly broken, with the words our rejection message must contain.</summary>
    public static readonly IReadOnlyDictionary<string, string> ExpectedBroken = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // Pixel data cut short: the element claims 8192 bytes, the file ends 62 bytes earlier.
        ["MR_truncated.dcm"] = "claims 8192 bytes but only 8130 remain",
        // Cut inside a sequence item: (300A,012C) claims 50 bytes, 29 are left (DCMTK reports the same).
        ["rtplan_truncated.dcm"] = "(300A,012C) claims 50 bytes but only 29 remain",
        // No meta and a stray first byte: every tag is misaligned, the first "element" (0820,0500) claims 165 MB
        // (DCMTK rejects it the same way; pydicom with force=True returns a one-element garbage dataset).
        ["no_meta.dcm"] = "(0820,0500) claims 173228800 bytes",
        // A text file that documents the TINY_ALPHA file-set, not DICOM.
        ["dicomdirtests/TINY_ALPHA/README"] = "claims 544829033 bytes",
    };

    [Fact]
    public void Corpus_is_installed()
    {
        Assert.True(Corpus.Files.Count >= 60, $"expected pydicom's test files in {Corpus.Folder} (python3-pydicom)");
        foreach (var name in ExpectedBroken.Keys) Assert.Contains(name, Corpus.Files);
    }

    [Theory]
    [MemberData(nameof(Corpus.AllFiles), MemberType = typeof(Corpus))]
    public void Corpus_file_parses_or_is_rejected_with_a_reason(string name)
    {
        var path = Corpus.Path(name);
        if (ExpectedBroken.TryGetValue(name, out var reason))
        {
            var ex = Assert.Throws<DicomFormatException>(() => DicomFile.Open(path));
            Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
            return;
        }
        var file = DicomFile.Open(path);
        Assert.True(file.Dataset.Count > 0, "dataset is empty");
        Assert.False(file.IsPartial);
    }

    [Theory]
    [MemberData(nameof(Corpus.AllFiles), MemberType = typeof(Corpus))]
    public void Corpus_file_reads_the_same_from_memory_as_from_disk(string name)
    {
        if (ExpectedBroken.ContainsKey(name)) return;
        var path = Corpus.Path(name);
        var fromDisk = DicomFile.Open(path, new IO.DicomReaderOptions { LargeValueThreshold = 64 });
        var fromMemory = DicomFile.Read(File.ReadAllBytes(path));
        Assert.Equal(fromDisk.TransferSyntax.Uid, fromMemory.TransferSyntax.Uid);
        SampleDatasets.AssertSame(fromMemory.Meta, fromDisk.Meta);
        SampleDatasets.AssertSame(fromMemory.Dataset, fromDisk.Dataset);
    }

    [Theory]
    [InlineData("CT_small.dcm")]
    [InlineData("MR_small_bigendian.dcm")]
    [InlineData("rtplan.dcm")]
    public void Stop_at_pixel_data_gives_the_same_metadata_as_a_full_read(string name)
    {
        var path = Corpus.Path(name);
        var full = DicomFile.Open(path);
        var partial = DicomFile.Open(path, new IO.DicomReaderOptions { StopAt = DicomTags.PixelData });
        var expected = new DicomDataset(full.Dataset.Where(i => i.Tag < DicomTags.PixelData));
        SampleDatasets.AssertSame(expected, partial.Dataset);
    }

    [Fact]
    public void Big_endian_and_little_endian_versions_of_the_same_image_read_identically()
    {
        var le = DicomFile.Open(Corpus.Path("MR_small.dcm")).Dataset;
        var be = DicomFile.Open(Corpus.Path("MR_small_expb.dcm")).Dataset;
        SampleDatasets.AssertSame(le, be);
    }

    [Fact]
    public void Implicit_and_explicit_versions_of_the_same_image_read_identically()
    {
        var ex = DicomFile.Open(Corpus.Path("MR_small.dcm")).Dataset;
        var im = DicomFile.Open(Corpus.Path("MR_small_implicit.dcm")).Dataset;
        ex.Remove(new DicomTag(0xFFFCFFFC)); // trailing padding only the explicit file has
        SampleDatasets.AssertSame(ex, im, ignoreVR: true);
    }

    [Fact]
    public void Deflated_file_inflates_to_a_full_image()
    {
        var file = DicomFile.Open(Corpus.Path("image_dfl.dcm"));
        Assert.Equal(DicomTransferSyntax.DeflatedExplicitVRLittleEndian, file.TransferSyntax);
        var pixels = (DicomElement)file.Dataset.GetItem(DicomTags.PixelData)!;
        var rows = file.Dataset.GetNumber<int>(new DicomTag(0x00280010))!.Value;
        var cols = file.Dataset.GetNumber<int>(new DicomTag(0x00280011))!.Value;
        Assert.True(pixels.Length >= rows * cols);
    }

    [Fact]
    public void Un_sequence_file_reads_its_private_sequence()
    {
        var file = DicomFile.Open(Corpus.Path("UN_sequence.dcm"));
        Assert.Contains(file.Dataset, i => i is DicomSequence);
    }

    [Fact]
    public void Files_without_meta_are_sniffed()
    {
        Assert.Equal(DicomTransferSyntax.ExplicitVRBigEndian, DicomFile.Open(Corpus.Path("ExplVR_BigEndNoMeta.dcm")).TransferSyntax);
        Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian, DicomFile.Open(Corpus.Path("ExplVR_LitEndNoMeta.dcm")).TransferSyntax);
        // no_meta.dcm is CT_small.dcm without its meta, but with a stray first byte; without that byte it reads the same.
        var noMeta = DicomFile.Read(File.ReadAllBytes(Corpus.Path("no_meta.dcm")).AsMemory(1));
        Assert.False(noMeta.HadMeta);
        Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian, noMeta.TransferSyntax);
        SampleDatasets.AssertSame(DicomFile.Open(Corpus.Path("CT_small.dcm")).Dataset, noMeta.Dataset);
    }

    [Fact]
    public void Encapsulated_pixel_data_keeps_an_embedded_sequence_delimiter_inside_its_fragment()
    {
        var a = DicomFile.Open(Corpus.Path("JPEG2000.dcm")).Dataset.GetItem(DicomTags.PixelData);
        var b = DicomFile.Open(Corpus.Path("JPEG2000-embedded-sequence-delimiter.dcm")).Dataset.GetItem(DicomTags.PixelData);
        var fa = Assert.IsType<DicomFragmentSequence>(a);
        var fb = Assert.IsType<DicomFragmentSequence>(b);
        Assert.Equal(fa.Fragments.Count, fb.Fragments.Count);
        Assert.Equal(fa.Fragments[0].Length, fb.Fragments[0].Length);
    }
}
