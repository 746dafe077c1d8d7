using System.Buffers.Binary;
using Agent.Host.Ingest;

namespace Agent.Host.Tests;

/// <summary>The ingest parses the header from the bytes it kept while writing, and reads the file only when they fall short.</summary>
public sealed class IngestHeadParsingTests : IDisposable
{
    private const string Corpus = "/usr/lib/python3/dist-packages/pydicom/data/test_files";
    private readonly string _data = Directory.CreateTempSubdirectory("agent-head-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task A_whole_file_held_in_the_head_is_parsed_without_opening_the_file()
    {
        var bytes = await File.ReadAllBytesAsync(Path.Combine(Corpus, "CT_small.dcm"));
        var missing = Path.Combine(_data, "not-there.dcm");

        var header = await new DicomHeaderReader().ReadAsync(missing, bytes, bytes.Length, CancellationToken.None);

        var expected = await new DicomHeaderReader().ReadAsync(Path.Combine(Corpus, "CT_small.dcm"), CancellationToken.None);
        Assert.Equal(expected.SopInstanceUid, header.SopInstanceUid);
        Assert.Equal(expected.Attributes, header.Attributes);
    }

    [Fact]
    public async Task A_head_cut_before_pixel_data_falls_back_to_the_file_whether_cut_inside_an_element_or_between_two()
    {
        var path = Path.Combine(Corpus, "CT_small.dcm");
        var bytes = await File.ReadAllBytesAsync(path);
        var expected = await new DicomHeaderReader().ReadAsync(path, CancellationToken.None);
        // End of the file meta group: a cut exactly there parses cleanly as an empty dataset, the case that must not be trusted.
        var metaEnd = 132 + 12 + (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(140, 4));

        foreach (var cut in new[] { metaEnd, metaEnd + 1, 700, 1500, 3000 })
        {
            var header = await new DicomHeaderReader().ReadAsync(path, bytes.AsMemory(0, cut), bytes.Length, CancellationToken.None);
            Assert.Equal(expected.StudyInstanceUid, header.StudyInstanceUid);
            Assert.Equal(expected.SopInstanceUid, header.SopInstanceUid);
            Assert.Equal(expected.Attributes, header.Attributes);
        }
    }

    [Fact]
    public async Task A_head_that_reaches_pixel_data_is_enough_even_when_the_file_is_longer()
    {
        var bytes = await File.ReadAllBytesAsync(Path.Combine(Corpus, "CT_small.dcm"));
        var pixelData = bytes.AsSpan().IndexOf(new byte[] { 0xE0, 0x7F, 0x10, 0x00 });
        Assert.True(pixelData > 0);
        var missing = Path.Combine(_data, "not-there.dcm");

        var header = await new DicomHeaderReader().ReadAsync(missing, bytes.AsMemory(0, pixelData + 12), bytes.Length, CancellationToken.None);

        Assert.Equal("CT", header.Attributes["Modality"]);
    }
}
