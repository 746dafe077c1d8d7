using Agent.Dicom;
using Agent.Dicom.Network.Dimse;
using Agent.Host.Configuration;
using Agent.Host.Ingest;
using Microsoft.Extensions.Logging.Abstractions;

namespace Agent.Host.Tests;

public sealed class IngestPipelineTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("agent-ingest-").FullName;
    private readonly FakeIndex _index = new();

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private static readonly IngestRequest Request = new("1.2.840.10008.5.1.4.1.1.2", "1.2.3.4.5", "1.2.840.10008.1.2.1", "STORESCU", 7);

    private IngestPipeline Pipeline(IInstanceHeaderReader reader)
    {
        var store = new InstanceStore(_data, DuplicatePolicy.KeepFirst);
        store.RemoveIncomplete();
        return new IngestPipeline(store, reader, _index, DuplicatePolicy.KeepFirst, TimeProvider.System, NullLogger<IngestPipeline>.Instance);
    }

    private static Func<Stream, CancellationToken, Task> Bytes(int count) =>
        (s, ct) => s.WriteAsync(new byte[count], ct).AsTask();

    private string[] DcmFiles() => Directory.GetFiles(_data, "*.dcm", SearchOption.AllDirectories);
    private string[] TmpFiles() => Directory.GetFiles(_data, "*.tmp", SearchOption.AllDirectories);

    [Fact]
    public async Task A_valid_instance_is_stored_with_a_part10_header_then_indexed_then_acknowledged()
    {
        var result = await Pipeline(new FakeReader("1.2.3", "1.2.3.4", "1.2.3.4.5")).StoreAsync(Request, Bytes(100), CancellationToken.None);
        Assert.Equal(DimseStatus.Success, result.Status);
        var file = Assert.Single(DcmFiles());
        Assert.Equal(Path.Combine(_data, "instances", "1.2.3", "1.2.3.4", "1.2.3.4.5.dcm"), file);
        var bytes = await File.ReadAllBytesAsync(file);
        Assert.Equal("DICM"u8.ToArray(), bytes[128..132]);
        var indexed = Assert.Single(_index.Instances);
        Assert.Equal(7, indexed.AssociationId);
        Assert.Equal("1.2.840.10008.1.2.1", indexed.Header.TransferSyntaxUid);
    }

    [Fact]
    public async Task An_unparseable_dataset_is_answered_cannot_understand_and_leaves_no_file()
    {
        var result = await Pipeline(new ThrowingReader()).StoreAsync(Request, Bytes(10), CancellationToken.None);
        Assert.Equal(DimseStatus.CannotUnderstand, result.Status);
        Assert.Empty(DcmFiles());
        Assert.Empty(TmpFiles());
        Assert.Empty(_index.Instances);
    }

    [Theory]
    [InlineData("../../etc", "1.2.3.4", "1.2.3.4.5")]
    [InlineData("1.2.3", "/tmp/x", "1.2.3.4.5")]
    [InlineData("1.2.3", "1.2.3.4", null)]
    [InlineData("1.2.3", "1.2.3.4", "1.2.3.4.6")]
    public async Task Sender_controlled_uids_that_are_malformed_or_inconsistent_never_become_paths(string? study, string? series, string? sop)
    {
        var result = await Pipeline(new FakeReader(study, series, sop)).StoreAsync(Request, Bytes(10), CancellationToken.None);
        Assert.Equal(DimseStatus.CannotUnderstand, result.Status);
        Assert.Empty(Directory.GetFiles(_data, "*", SearchOption.AllDirectories));
        Assert.Empty(_index.Instances);
    }

    [Fact]
    public async Task A_database_failure_is_answered_out_of_resources_and_the_file_is_taken_back()
    {
        _index.Fail = true;
        var result = await Pipeline(new FakeReader("1.2.3", "1.2.3.4", "1.2.3.4.5")).StoreAsync(Request, Bytes(10), CancellationToken.None);
        Assert.Equal(DimseStatus.RefusedOutOfResources, result.Status);
        Assert.Empty(DcmFiles());
        Assert.Empty(TmpFiles());
    }

    [Fact]
    public async Task A_write_failure_such_as_a_full_disk_is_answered_out_of_resources()
    {
        var result = await Pipeline(new FakeReader("1.2.3", "1.2.3.4", "1.2.3.4.5"))
            .StoreAsync(Request, (_, _) => throw new IOException("No space left on device"), CancellationToken.None);
        Assert.Equal(DimseStatus.RefusedOutOfResources, result.Status);
        Assert.Empty(Directory.GetFiles(_data, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task An_association_aborted_mid_dataset_leaves_nothing_behind()
    {
        using var cts = new CancellationTokenSource();
        var pipeline = Pipeline(new FakeReader("1.2.3", "1.2.3.4", "1.2.3.4.5"));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pipeline.StoreAsync(Request, async (s, ct) =>
        {
            await s.WriteAsync(new byte[500], ct);
            await cts.CancelAsync();
            ct.ThrowIfCancellationRequested();
        }, cts.Token));
        Assert.Empty(Directory.GetFiles(_data, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_malformed_command_uid_is_refused_but_the_dataset_is_still_consumed()
    {
        var consumed = false;
        var result = await Pipeline(new FakeReader("1.2.3", "1.2.3.4", "1.2.3.4.5"))
            .StoreAsync(Request with { SopInstanceUid = "1.2.x" }, (s, ct) => { consumed = true; return Task.CompletedTask; }, CancellationToken.None);
        Assert.Equal(DimseStatus.CannotUnderstand, result.Status);
        Assert.True(consumed);
    }

    private sealed class FakeReader(string? study, string? series, string? sop) : IInstanceHeaderReader
    {
        public Task<InstanceHeader> ReadAsync(string path, CancellationToken cancellationToken) =>
            Task.FromResult(new InstanceHeader { StudyInstanceUid = study, SeriesInstanceUid = series, SopInstanceUid = sop });
    }

    private sealed class ThrowingReader : IInstanceHeaderReader
    {
        public Task<InstanceHeader> ReadAsync(string path, CancellationToken cancellationToken) =>
            throw new DicomFormatException("truncated element at offset 132");
    }

    private sealed class FakeIndex : IInstanceIndex
    {
        public List<IndexedInstance> Instances { get; } = [];
        public bool Fail { get; set; }

        public Task IndexAsync(IndexedInstance instance, CancellationToken cancellationToken)
        {
            if (Fail) throw new InvalidOperationException("database is down");
            Instances.Add(instance);
            return Task.CompletedTask;
        }
    }
}
