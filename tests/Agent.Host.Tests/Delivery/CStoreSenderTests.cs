using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Agent.Host.Delivery;
using Agent.Storage.Queue;

namespace Agent.Host.Tests.Delivery;

public sealed class CStoreSenderTests
{
    private static int ClosedPort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;   // closed again when disposed: connections are refused
    }

    [Fact]
    public async Task An_unreachable_destination_is_retried_up_to_the_attempt_limit_and_every_attempt_is_recorded()
    {
        await using var db = await DeliveryDatabase.StartAsync();
        var file = Path.Combine(db.Root, "seg.dcm");
        TestSeg(file);
        var outbox = new DeliveryOutbox(db.DataSource);
        var delivery = await outbox.EnqueueAsync(await db.RecordOutputAsync("SEG", "1.2.840.10008.5.1.4.1.1.66.4", "1.2.3.4.5", file), "down", 0, 3, CancellationToken.None);
        var worker = DeliveryService.CreateWorker(db.DataSource, "down",
            new DestinationOptions { AeTitle = "PACS", Host = "127.0.0.1", Port = ClosedPort(), BaseDelaySeconds = 0, MaxDelaySeconds = 0, ConnectTimeoutSeconds = 2 }, 0, db.Root);

        int runs = 0;
        while (await worker.RunOnceAsync(CancellationToken.None)) runs++;

        var info = (await outbox.GetAsync(delivery.Id, CancellationToken.None))!;
        Assert.Equal((3, WorkState.Failed, 3), (runs, info.State, info.Attempts));
        Assert.Equal(3L, await db.ScalarAsync(string.Create(CultureInfo.InvariantCulture,
            $"SELECT count(*) FROM delivery_attempts WHERE delivery_id = {delivery.Id} AND NOT succeeded AND dimse_status IS NULL AND error IS NOT NULL")));
    }

    [Fact]
    public async Task A_missing_output_file_fails_at_once_without_retries()
    {
        await using var db = await DeliveryDatabase.StartAsync();
        var outbox = new DeliveryOutbox(db.DataSource);
        var delivery = await outbox.EnqueueAsync(await db.RecordOutputAsync("SR", "1.2.840.10008.5.1.4.1.1.88.34", "1.2.3.4.6", Path.Combine(db.Root, "gone.dcm")), "pacs", 0, 5, CancellationToken.None);
        var worker = DeliveryService.CreateWorker(db.DataSource, "pacs", new DestinationOptions { AeTitle = "PACS", Host = "127.0.0.1", Port = ClosedPort() }, 0, db.Root);

        while (await worker.RunOnceAsync(CancellationToken.None)) { }

        var info = (await outbox.GetAsync(delivery.Id, CancellationToken.None))!;
        Assert.Equal((WorkState.Failed, 1), (info.State, info.Attempts));
        Assert.Contains("missing", info.LastError, StringComparison.Ordinal);
    }

    private static void TestSeg(string path)
    {
        var ds = new Agent.Dicom.DicomDataset();
        ds.AddOrUpdate(Agent.Dicom.DicomTags.SOPClassUID, Agent.Dicom.DicomVR.UI, "1.2.840.10008.5.1.4.1.1.66.4");
        ds.AddOrUpdate(Agent.Dicom.DicomTags.SOPInstanceUID, Agent.Dicom.DicomVR.UI, "1.2.3.4.5");
        new Agent.Dicom.DicomFile(ds, Agent.Dicom.DicomTransferSyntax.ExplicitVRLittleEndian).Save(path);
    }
}
