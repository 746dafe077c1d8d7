using Agent.Dicom.IO;
using Agent.Dicom.Tests.Support;

namespace Agent.Dicom.Tests;

public sealed class FileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agent-file-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathFor(string name) => Path.Combine(_dir, name);

    [Fact]
    public void Saved_file_has_preamble_dicm_and_our_meta()
    {
        var file = new DicomFile(SampleDatasets.Ct(), DicomTransferSyntax.ExplicitVRLittleEndian);
        var path = PathFor("a.dcm");
        file.Save(path);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal("DICM"u8.ToArray(), bytes[128..132]);
        var back = DicomFile.Open(path);
        Assert.Equal(DicomImplementation.ClassUid, back.Meta.GetString(new DicomTag(0x00020012)));
        Assert.Equal(DicomImplementation.VersionName, back.Meta.GetString(new DicomTag(0x00020013)));
        Assert.Equal(SampleDatasets.CtImageStorage, back.Meta.GetString(new DicomTag(0x00020002)));
        Assert.Equal("1.2.3.4.5", back.Meta.GetString(new DicomTag(0x00020003)));
        Assert.Equal(new byte[] { 0, 1 }, ((DicomElement)back.Meta.GetItem(new DicomTag(0x00020001))!).Buffer.Span.ToArray());
        var groupLength = back.Meta.GetNumber<uint>(new DicomTag(0x00020000));
        Assert.Equal((uint)(bytes.Length - 144 - DicomWriter.Encode(file.Dataset, file.TransferSyntax).Length), groupLength);
        SampleDatasets.AssertSame(file.Dataset, back.Dataset);
    }

    [Fact]
    public void Large_values_stay_on_disk_until_used()
    {
        var path = PathFor("big.dcm");
        new DicomFile(SampleDatasets.Ct(256, 256), DicomTransferSyntax.ExplicitVRLittleEndian).Save(path);
        var file = DicomFile.Open(path, new DicomReaderOptions { LargeValueThreshold = 1024 });
        var pixels = (DicomElement)file.Dataset.GetItem(DicomTags.PixelData)!;
        var lazy = Assert.IsType<FileRangeBuffer>(pixels.Buffer);
        Assert.False(lazy.IsLoaded);
        Assert.Equal(256 * 256 * 2, lazy.Length);
        Assert.Equal((short)-500, BitConverter.ToInt16(lazy.Span[..2]));
    }

    [Fact]
    public void Lazy_big_endian_values_are_swapped_when_loaded()
    {
        var path = PathFor("bigbe.dcm");
        var ds = SampleDatasets.Ct(64, 64);
        new DicomFile(ds, DicomTransferSyntax.ExplicitVRBigEndian).Save(path);
        var file = DicomFile.Open(path, new DicomReaderOptions { LargeValueThreshold = 1024 });
        Assert.IsType<FileRangeBuffer>(((DicomElement)file.Dataset.GetItem(DicomTags.PixelData)!).Buffer);
        SampleDatasets.AssertSame(ds, file.Dataset);
    }

    [Fact]
    public void Stop_at_pixel_data_reads_metadata_only_and_marks_the_file_partial()
    {
        var path = PathFor("stop.dcm");
        new DicomFile(SampleDatasets.Ct(), DicomTransferSyntax.ExplicitVRLittleEndian).Save(path);
        var file = DicomFile.Open(path, new DicomReaderOptions { StopAt = DicomTags.PixelData });
        Assert.True(file.IsPartial);
        Assert.False(file.Dataset.Contains(DicomTags.PixelData));
        Assert.Equal("Doe^John", file.Dataset.GetString(DicomTags.PatientName));
    }

    [Fact]
    public async Task Read_async_from_a_stream_that_cannot_seek_matches_open()
    {
        var path = PathFor("s.dcm");
        new DicomFile(SampleDatasets.Ct(), DicomTransferSyntax.DeflatedExplicitVRLittleEndian).Save(path);
        using var stream = new NonSeekableStream(File.ReadAllBytes(path), maxChunk: 7);
        var file = await DicomFile.ReadAsync(stream, null, CancellationToken.None);
        Assert.Equal(DicomTransferSyntax.DeflatedExplicitVRLittleEndian, file.TransferSyntax);
        SampleDatasets.AssertSame(DicomFile.Open(path).Dataset, file.Dataset);
    }

    [Fact]
    public void Sync_read_from_a_stream_that_cannot_seek_reads_in_small_chunks()
    {
        var path = PathFor("c.dcm");
        new DicomFile(SampleDatasets.Ct(32, 32), DicomTransferSyntax.ExplicitVRBigEndian).Save(path);
        using var stream = new NonSeekableStream(File.ReadAllBytes(path), maxChunk: 5);
        SampleDatasets.AssertSame(DicomFile.Open(path).Dataset, DicomFile.Read(stream).Dataset);
    }

    [Fact]
    public async Task Header_written_in_front_of_an_encoded_dataset_makes_a_readable_file()
    {
        var ds = SampleDatasets.Ct();
        var meta = DicomFileMeta.Create(SampleDatasets.CtImageStorage, "1.2.3.4.5", DicomTransferSyntax.ImplicitVRLittleEndian);
        var path = PathFor("h.dcm");
        await using (var fs = File.Create(path))
        {
            await DicomFileMeta.WriteHeaderAsync(fs, meta, CancellationToken.None);
            var encoded = DicomWriter.Encode(ds, DicomTransferSyntax.ImplicitVRLittleEndian);
            await fs.WriteAsync(encoded);
        }
        var file = DicomFile.Open(path);
        Assert.Equal(DicomTransferSyntax.ImplicitVRLittleEndian, file.TransferSyntax);
        SampleDatasets.AssertSame(ds, file.Dataset, ignoreVR: true);
    }

    [Fact]
    public async Task The_header_of_a_received_data_set_names_its_sender_and_reading_it_back_finds_where_the_data_set_starts()
    {
        var encoded = DicomWriter.Encode(SampleDatasets.Ct(), DicomTransferSyntax.ExplicitVRLittleEndian);
        var meta = DicomFileMeta.Create(SampleDatasets.CtImageStorage, "1.2.3.4.5", DicomTransferSyntax.ExplicitVRLittleEndian.Uid, "MODALITY");
        var path = PathFor("received.dcm");
        await using (var fs = File.Create(path))
        {
            await DicomFileMeta.WriteHeaderAsync(fs, meta, CancellationToken.None);
            await fs.WriteAsync(encoded);
        }
        var header = DicomFileMeta.ReadHeader(path);
        Assert.Equal(SampleDatasets.CtImageStorage, header.SopClassUid);
        Assert.Equal("1.2.3.4.5", header.SopInstanceUid);
        Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian.Uid, header.TransferSyntaxUid);
        Assert.Equal("MODALITY", header.Meta.GetString(DicomTags.SourceApplicationEntityTitle));
        Assert.Equal(new FileInfo(path).Length - encoded.Length, header.DataSetOffset);
        Assert.True(File.ReadAllBytes(path).AsSpan((int)header.DataSetOffset).SequenceEqual(encoded));
    }

    [Fact]
    public void Reading_the_header_of_a_file_without_meta_information_is_a_format_exception()
    {
        var path = PathFor("raw.dcm");
        File.WriteAllBytes(path, DicomWriter.Encode(SampleDatasets.Ct(), DicomTransferSyntax.ImplicitVRLittleEndian));
        var ex = Assert.Throws<DicomFormatException>(() => DicomFileMeta.ReadHeader(path));
        Assert.Contains("no file meta information", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void File_without_preamble_and_meta_is_sniffed_as_big_endian()
    {
        var raw = DicomWriter.Encode(SampleDatasets.Ct(), DicomTransferSyntax.ExplicitVRBigEndian);
        var file = DicomFile.Read(raw);
        Assert.False(file.HadMeta);
        Assert.Equal(DicomTransferSyntax.ExplicitVRBigEndian, file.TransferSyntax);
        SampleDatasets.AssertSame(SampleDatasets.Ct(), file.Dataset);
    }

    [Fact]
    public void Meta_group_written_in_implicit_vr_is_still_read()
    {
        var b = new DicomBytes();
        b.Raw(new byte[128]).Ascii("DICM");
        b.Implicit(0x00020010, "1.2.840.10008.1.2.1\0");
        b.Explicit(0x00080060, "CS", "CT");
        var file = DicomFile.Read(b.ToArray());
        Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian, file.TransferSyntax);
        Assert.Equal("CT", file.Dataset.GetString(new DicomTag(0x00080060)));
    }

    [Fact]
    public void Deflate_bomb_is_stopped_at_the_limit()
    {
        var ds = new DicomDataset().AddOrUpdateBytes(new DicomTag(0x00291010), DicomVR.OB, new byte[4 << 20]);
        using var ms = new MemoryStream();
        new DicomFile(ds, DicomTransferSyntax.DeflatedExplicitVRLittleEndian).Save(ms);
        Assert.True(ms.Length < 64 * 1024);
        var ex = Assert.Throws<DicomFormatException>(() => DicomFile.Read(ms.ToArray(), new DicomReaderOptions { MaxDecompressedLength = 1 << 20 }));
        Assert.Contains("inflates to more than", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Transcoding_encapsulated_pixel_data_to_a_native_syntax_is_refused()
    {
        var file = new DicomFile(new DicomDataset(), DicomTransferSyntax.JPEGBaseline);
        Assert.Throws<DicomFormatException>(() => file.WithTransferSyntax(DicomTransferSyntax.ExplicitVRLittleEndian));
    }

    [Fact]
    public void Missing_file_is_reported_as_a_format_exception_naming_it()
    {
        var ex = Assert.Throws<DicomFormatException>(() => DicomFile.Open(PathFor("nope.dcm")));
        Assert.Contains("nope.dcm", ex.Message, StringComparison.Ordinal);
    }
}

public class FileMetaTests
{
    [Fact]
    public void An_unreadable_transfer_syntax_uid_falls_back_to_sniffing_the_dataset()
    {
        var b = DicomBytes.Part10("not a uid");
        b.Explicit(0x00080060, "CS", "CT");
        var file = DicomFile.Read(b.ToArray());
        Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian, file.TransferSyntax);
        Assert.Equal("CT", file.Dataset.GetString(new DicomTag(0x00080060)));
    }

    [Fact]
    public void Meta_created_for_a_new_file_names_this_implementation()
    {
        var meta = DicomFileMeta.Create("1.2.3", "4.5.6", DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.Equal("1.2.840.10008.1.2.1", meta.GetString(DicomTags.TransferSyntaxUID));
        Assert.Equal(DicomImplementation.ClassUid, meta.GetString(new DicomTag(0x00020012)));
        Assert.True(DicomImplementation.ClassUid.Length <= 64);
        Assert.StartsWith("2.25.", DicomImplementation.ClassUid, StringComparison.Ordinal);
    }
}

public class FileSaveTests
{
    [Fact]
    public void A_file_read_with_stop_at_cannot_be_saved()
    {
        var bytes = new DicomBytes().Explicit(0x00080060, "CS", "CT").Explicit(0x7FE00010, "OW", new byte[4]).ToArray();
        var file = DicomFile.Read(bytes, new IO.DicomReaderOptions { StopAt = DicomTags.PixelData });
        Assert.True(file.IsPartial);
        Assert.Throws<InvalidOperationException>(() => file.Save(new MemoryStream()));
    }

    [Fact]
    public void Meta_elements_inside_the_dataset_are_written_once_in_the_header()
    {
        var ds = SampleDatasets.Ct();
        ds.AddOrUpdate(DicomTags.TransferSyntaxUID, DicomVR.UI, "1.2.840.10008.1.2");
        using var ms = new MemoryStream();
        new DicomFile(ds, DicomTransferSyntax.ExplicitVRLittleEndian).Save(ms);
        var back = DicomFile.Read(ms.ToArray());
        Assert.Equal(DicomTransferSyntax.ExplicitVRLittleEndian, back.TransferSyntax);
        Assert.False(back.Dataset.Contains(DicomTags.TransferSyntaxUID));
    }
}

public sealed class FileLazyValueTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agent-lazy-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_lazy_value_whose_file_shrank_is_reported_as_a_format_exception()
    {
        var path = Path.Combine(_dir, "x.dcm");
        new DicomFile(SampleDatasets.Ct(128, 128), DicomTransferSyntax.ExplicitVRLittleEndian).Save(path);
        var file = DicomFile.Open(path, new IO.DicomReaderOptions { LargeValueThreshold = 1024 });
        using (var fs = new FileStream(path, FileMode.Open)) fs.SetLength(1000);
        var pixels = (DicomElement)file.Dataset.GetItem(DicomTags.PixelData)!;
        var ex = Assert.Throws<DicomFormatException>(() => pixels.Buffer.Span.Length);
        Assert.Contains("cannot load", ex.Message, StringComparison.Ordinal);
    }
}

public class DeflateTests
{
    [Fact]
    public void A_zlib_wrapped_deflated_dataset_is_accepted()
    {
        var body = IO.DicomWriter.Encode(SampleDatasets.Ct(), DicomTransferSyntax.ExplicitVRLittleEndian);
        using var ms = new MemoryStream();
        var header = DicomFileMeta.EncodeHeader(DicomFileMeta.Create(SampleDatasets.CtImageStorage, "1.2.3.4.5", DicomTransferSyntax.DeflatedExplicitVRLittleEndian));
        ms.Write(header);
        using (var z = new System.IO.Compression.ZLibStream(ms, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true)) z.Write(body);
        var file = DicomFile.Read(ms.ToArray());
        SampleDatasets.AssertSame(SampleDatasets.Ct(), file.Dataset);
    }

    [Fact]
    public void Corrupt_deflate_data_is_reported_as_a_format_exception()
    {
        var b = DicomBytes.Part10("1.2.840.10008.1.2.1.99");
        b.Raw(0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B);
        var ex = Assert.Throws<DicomFormatException>(() => DicomFile.Read(b.ToArray()));
        Assert.Contains("deflated dataset is corrupt", ex.Message, StringComparison.Ordinal);
    }
}

public class FileCancellationTests
{
    [Fact]
    public async Task Read_async_honours_cancellation()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        using var stream = new MemoryStream(new byte[1024]);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => DicomFile.ReadAsync(stream, null, cts.Token));
    }
}

public class FilePreambleTests
{
    [Fact]
    public void A_zero_preamble_without_dicm_is_skipped()
    {
        var b = new DicomBytes().Raw(new byte[128]).Explicit(0x00080060, "CS", "CT").Explicit(0x00100010, "PN", "A^B ");
        var file = DicomFile.Read(b.ToArray());
        Assert.Equal(2, file.Dataset.Count);
        Assert.Equal("CT", file.Dataset.GetString(new DicomTag(0x00080060)));
    }
}

public class DeflateStreamingTests
{
    [Fact]
    public void Stop_at_on_a_deflated_file_inflates_only_the_header()
    {
        var ds = SampleDatasets.Ct();
        ds.AddOrUpdateBytes(DicomTags.PixelData, DicomVR.OW, new byte[8 << 20]);
        using var ms = new MemoryStream();
        new DicomFile(ds, DicomTransferSyntax.DeflatedExplicitVRLittleEndian).Save(ms);
        var options = new IO.DicomReaderOptions { StopAt = DicomTags.PixelData, MaxDecompressedLength = 1 << 20 };
        var file = DicomFile.Read(ms.ToArray(), options);
        Assert.Equal("Doe^John", file.Dataset.GetString(DicomTags.PatientName));
        Assert.Throws<DicomFormatException>(() => DicomFile.Read(ms.ToArray(), new IO.DicomReaderOptions { MaxDecompressedLength = 1 << 20 }));
    }
}
