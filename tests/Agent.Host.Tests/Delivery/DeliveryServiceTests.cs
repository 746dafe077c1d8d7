using System.Globalization;
using Agent.Dicom;
using Agent.Host.Configuration;
using Agent.Host.Delivery;
using Agent.Host.Hosting;
using Agent.Storage;
using Agent.Storage.Queue;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Agent.Host.Tests.Delivery;

public sealed class DeliveryServiceTests
{
    [Fact]
    public async Task The_hosted_service_delivers_every_queued_output_to_its_destination_with_two_senders()
    {
        await using var db = await DeliveryDatabase.StartAsync();
        await using var orthanc = new OrthancProcess(Path.Combine(db.Root, "orthanc"));
        await orthanc.StartAsync();
        var outbox = new DeliveryOutbox(db.DataSource);
        var ids = new List<long>();
        for (int i = 0; i < 6; i++)
        {
            var uid = DicomUidGenerator.Create();
            var ds = new DicomDataset();
            ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, DicomUids.SecondaryCaptureImageStorage.Uid);
            ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, uid);
            ds.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, "1.2.826.0.1.3680043.10.1.1");
            ds.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, "1.2.826.0.1.3680043.10.1.2");
            ds.AddOrUpdate(DicomTags.PatientID, DicomVR.LO, "SVC-1");
            ds.AddOrUpdate(DicomTags.Modality, DicomVR.CS, "OT");
            var path = Path.Combine(db.Root, string.Create(CultureInfo.InvariantCulture, $"out{i}.dcm"));
            new DicomFile(ds, DicomTransferSyntax.ExplicitVRLittleEndian).Save(path);
            ids.Add((await outbox.EnqueueAsync(await db.RecordOutputAsync("KI", DicomUids.SecondaryCaptureImageStorage.Uid, uid, path), "orthanc", 0, 3, CancellationToken.None)).Id);
        }

        var access = new DatabaseAccess();
        await using var agentDb = await AgentDatabase.OpenAsync(new AgentDatabaseOptions { ConnectionString = db.ConnectionString }, null, CancellationToken.None);
        access.Set(agentDb, "test");
        var destinations = new DestinationsOptions { ["orthanc"] = new() { AeTitle = "ORTHANC", Host = "127.0.0.1", Port = orthanc.DicomPort, Concurrency = 2 } };
        var settings = AgentSettings.From(AgentConfiguration.Build(db.Root, null, new Dictionary<string, string?>()), db.Root);
        using var service = new DeliveryService(access, Options.Create(destinations), settings, NullLogger<DeliveryService>.Instance);
        await service.StartAsync(CancellationToken.None);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline && (long)(await db.ScalarAsync("SELECT count(*) FROM deliveries WHERE state = 'succeeded'"))! < ids.Count)
                await Task.Delay(200);
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }

        foreach (var id in ids) Assert.Equal((WorkState.Succeeded, 1), ((await outbox.GetAsync(id, CancellationToken.None))!.State, (await outbox.GetAsync(id, CancellationToken.None))!.Attempts));
        var owners = (string)(await db.ScalarAsync("SELECT string_agg(DISTINCT lease_owner, ',') FROM delivery_attempts"))!;
        Assert.All(owners.Split(','), o => Assert.Contains(o, new[] { "deliver-orthanc-0", "deliver-orthanc-1" }));
        var stats = await orthanc.GetJsonAsync("/statistics");
        Assert.Equal(ids.Count, stats.GetProperty("CountInstances").GetInt32());
    }
}
