using Agent.Host.Delivery;
using Agent.Storage.Queue;

namespace Agent.Host.Tests.Delivery;

/// <summary>One association per batch against DCMTK storescp, with per-object outcomes.</summary>
public sealed class BatchSenderTests
{
    private const string JpegLossy = "/usr/lib/python3/dist-packages/pydicom/data/test_files/JPEG-lossy.dcm";

    private static DestinationOptions Store(int port) => new() { AeTitle = "STORESCP", Host = "127.0.0.1", Port = port, BaseDelaySeconds = 0, MaxDelaySeconds = 0 };

    [Fact]
    public async Task A_file_the_destination_refuses_fails_alone_while_the_rest_of_the_batch_is_stored_over_the_same_association()
    {
        await using var db = await DeliveryDatabase.StartAsync();
        // storescp accepts uncompressed syntaxes only: the JPEG file finds no presentation context.
        await using var receiver = await DcmtkStorescp.StartAsync(Path.Combine(db.Root, "received"));
        var files = TestInstances.WriteSeries(Path.Combine(db.Root, "series"), 3).ToList();
        files.Insert(1, JpegLossy);
        var outbox = new DeliveryOutbox(db.DataSource);
        var ids = new List<long>();
        foreach (var file in files)
        {
            var sop = Agent.Dicom.DicomFile.Open(file).Dataset.GetString(Agent.Dicom.DicomTags.SOPInstanceUID)!;
            ids.Add((await outbox.EnqueueAsync(await db.RecordOutputAsync("KI", "1.2.840.10008.5.1.4.1.1.2", sop, file), "store", 0, 5, CancellationToken.None)).Id);
        }
        var worker = DeliveryService.CreateWorker(db.DataSource, "store", Store(receiver.Port), 0, db.Root);

        Assert.True(await worker.RunOnceAsync(CancellationToken.None));
        Assert.False(await worker.RunOnceAsync(CancellationToken.None));

        var states = new List<string>();
        foreach (var id in ids)
        {
            var info = (await outbox.GetAsync(id, CancellationToken.None))!;
            states.Add($"{info.State}|{info.Attempts}");
        }
        Assert.Equal(["succeeded|1", "failed|1", "succeeded|1", "succeeded|1"], states);
        Assert.Contains("accepts no presentation context", (await outbox.GetAsync(ids[1], CancellationToken.None))!.LastError, StringComparison.Ordinal);
        Assert.Single(receiver.Log, l => l.StartsWith("I: Association Acknowledged", StringComparison.Ordinal));
        Assert.Equal(3, Directory.GetFiles(receiver.Folder).Length);
    }

    [Fact]
    public async Task A_file_recorded_relative_to_the_data_folder_is_sent_from_there()
    {
        await using var db = await DeliveryDatabase.StartAsync();
        await using var receiver = await DcmtkStorescp.StartAsync(Path.Combine(db.Root, "received"));
        var file = TestInstances.WriteSeries(Path.Combine(db.Root, "outputs", "job-1"), 1)[0];
        var sop = TestInstances.SopInstanceUid(file);
        var outbox = new DeliveryOutbox(db.DataSource);
        var id = (await outbox.EnqueueAsync(await db.RecordOutputAsync("SEG", "1.2.840.10008.5.1.4.1.1.2", sop, Path.GetRelativePath(db.Root, file)), "store", 0, 5, CancellationToken.None)).Id;

        Assert.True(await DeliveryService.CreateWorker(db.DataSource, "store", Store(receiver.Port), 0, db.Root).RunOnceAsync(CancellationToken.None));

        Assert.Equal(WorkState.Succeeded, (await outbox.GetAsync(id, CancellationToken.None))!.State);
        Assert.Equal([sop], Directory.GetFiles(receiver.Folder).Select(TestInstances.SopInstanceUid));
    }
}
