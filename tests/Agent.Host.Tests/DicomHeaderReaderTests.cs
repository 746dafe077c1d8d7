using System.Diagnostics;
using Agent.Dicom;
using Agent.Dicom.Network.Dimse;
using Agent.Dicom.IO;
using Agent.Host.Configuration;
using Agent.Host.Ingest;
using Microsoft.Extensions.Logging.Abstractions;

namespace Agent.Host.Tests;

public sealed class DicomHeaderReaderTests : IDisposable
{
    private const string Corpus = "/usr/lib/python3/dist-packages/pydicom/data/test_files";
    private readonly string _data = Directory.CreateTempSubdirectory("agent-header-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private sealed class RecordingIndex : IInstanceIndex
    {
        public List<IndexedInstance> Instances { get; } = [];

        public Task IndexAsync(IndexedInstance instance, CancellationToken cancellationToken)
        {
            Instances.Add(instance);
            return Task.CompletedTask;
        }
    }

    [Theory]
    [InlineData("CT_small.dcm")]
    [InlineData("MR_small_implicit.dcm")]
    [InlineData("MR_small_bigendian.dcm")]
    public async Task A_received_dataset_is_stored_as_a_part10_file_that_dcmdump_reads_and_its_keys_are_indexed(string name)
    {
        var source = DicomFile.Open(Path.Combine(Corpus, name));
        var syntax = source.TransferSyntax;
        var sopClass = source.Dataset.GetString(DicomTags.SOPClassUID)!;
        var sop = source.Dataset.GetString(DicomTags.SOPInstanceUID)!;
        var store = new InstanceStore(_data, DuplicatePolicy.KeepFirst);
        store.RemoveIncomplete();
        var index = new RecordingIndex();
        var pipeline = new IngestPipeline(store, new DicomHeaderReader(), index, DuplicatePolicy.KeepFirst, TimeProvider.System,
            NullLogger<IngestPipeline>.Instance);

        var result = await pipeline.StoreAsync(new IngestRequest(sopClass, sop, syntax.Uid, "STORESCU", null),
            (stream, ct) => DicomWriter.WriteAsync(stream, source.Dataset, syntax, null, ct), CancellationToken.None);

        Assert.Equal(DimseStatus.Success, result.Status);
        var indexed = Assert.Single(index.Instances);
        Assert.Equal(source.Dataset.GetString(DicomTags.StudyInstanceUID), indexed.Keys.StudyInstanceUid);
        Assert.Equal(source.Dataset.GetString(DicomTags.Modality), indexed.Header.Attributes["Modality"]);
        Assert.Equal(syntax.Uid, indexed.Header.TransferSyntaxUid);

        using var dcmdump = Process.Start(new ProcessStartInfo("dcmdump", ["-q", result.File!.FullPath]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await dcmdump.StandardOutput.ReadToEndAsync();
        await dcmdump.WaitForExitAsync();
        Assert.Equal(0, dcmdump.ExitCode);
        Assert.Contains("(0002,0016) AE [STORESCU]", output, StringComparison.Ordinal);
        Assert.Contains(sop, output, StringComparison.Ordinal);
    }
}
