using System.Globalization;
using Agent.Dicom;
using Agent.Dicom.Network.Client;
using Agent.Dicom.Network.Dimse;
using Agent.Host.Delivery;
using Agent.Imaging.Phantom;
using Agent.Imaging.Series;
using Agent.Results.Coding;
using Agent.Results.Common;
using Agent.Results.KeyImages;
using Agent.Results.Reports;
using Agent.Results.Segmentation;
using Agent.Storage.Provenance;
using Agent.Storage.Queue;

namespace Agent.Host.Tests.Delivery;

public sealed class OutboxToOrthancTests
{
    private static readonly Code Anatomical = new("SCT", "91723000", "Anatomical Structure");

    private static readonly SegmentDefinition[] Segments =
    [
        new(1, "liver", Anatomical, new("SCT", "10200004", "Liver"), [221, 130, 101]),
        new(2, "spleen", Anatomical, new("SCT", "78961009", "Spleen"), [157, 108, 162]),
        new(3, "kidney_left", Anatomical, new("SCT", "64033007", "Kidney"), [185, 102, 83]) { TypeModifier = new("SCT", "7771000", "Left") },
        new(4, "kidney_right", Anatomical, new("SCT", "64033007", "Kidney"), [212, 126, 151]) { TypeModifier = new("SCT", "24028007", "Right") },
    ];

    [Fact]
    public async Task Seg_sr_and_key_images_reach_orthanc_in_the_source_study_after_it_was_down_with_nothing_lost_or_sent_twice()
    {
        await using var db = await DeliveryDatabase.StartAsync();
        var root = db.Root;
        var dataSource = db.DataSource;
        await using var orthanc = new OrthancProcess(Path.Combine(root, "orthanc"));
        try
        {
            await orthanc.StartAsync();

            // The source series, as the PACS holds it.
            var phantom = PhantomGenerator.Generate(new PhantomOptions { Seed = 21, Matrix = 64, PixelSpacing = 420.0 / 64, SliceSpacing = 6, PatientId = "E2E-1", PatientName = "Delivery^Test" });
            var files = await PhantomWriter.WriteDicomAsync(phantom, Path.Combine(root, "ct"), CancellationToken.None);
            var requests = files.Select(CStoreRequest.FromFile).ToList();
            var destination = new DestinationOptions { AeTitle = "ORTHANC", Host = "127.0.0.1", Port = orthanc.DicomPort, BaseDelaySeconds = 0, MaxDelaySeconds = 0, ConnectTimeoutSeconds = 5 };
            await using (var client = await DicomClient.ConnectForAsync(new DicomClientOptions { Host = "127.0.0.1", Port = orthanc.DicomPort, CalledAeTitle = "ORTHANC" }, requests))
            {
                foreach (var r in requests) Assert.True((await client.SendForFinalAsync(r)).Status.IsSuccess);
                await client.ReleaseAsync();
            }

            // The pipeline's outputs, recorded and queued for the destination.
            var series = SeriesVolumeBuilder.Build(phantom.Slices);
            var source = SegmentationSource.FromSeries(series, phantom.Slices);
            var algorithm = new AlgorithmIdentity("abdomen-unet", "1.0.0");
            var seg = SegmentationWriter.Write(phantom.Labels, source, Segments, new SegmentationOptions { Algorithm = algorithm });
            var sr = MeasurementReportWriter.Write(seg.Dataset, source, Segments, SegmentStatistics.Compute(phantom.Labels, phantom.Image), new MeasurementReportOptions { Algorithm = algorithm });
            var keyImages = KeyImageWriter.Write(phantom.Image, phantom.Labels, source, Segments, new KeyImageOptions { Algorithm = algorithm });
            var outbox = new DeliveryOutbox(dataSource);
            var outputs = new OutputRepository(dataSource);
            var deliveries = new List<long>();
            foreach (var (file, kind) in new[] { (seg, "SEG"), (sr, "SR") }.Concat(keyImages.Select(k => (k, "KI"))))
            {
                var path = Path.Combine(root, kind + deliveries.Count.ToString(CultureInfo.InvariantCulture) + ".dcm");
                file.Save(path);
                var id = await outputs.RecordAsync(new OutputRecord
                {
                    Kind = kind, SopClassUid = file.Dataset.GetString(DicomTags.SOPClassUID)!, SopInstanceUid = file.Dataset.GetString(DicomTags.SOPInstanceUID)!,
                    SeriesInstanceUid = file.Dataset.GetString(DicomTags.SeriesInstanceUID)!, StudyInstanceUid = source.StudyInstanceUid, FilePath = path,
                }, CancellationToken.None);
                deliveries.Add((await outbox.EnqueueAsync(id, "orthanc", 0, 5, CancellationToken.None)).Id);
            }

            // The PACS goes down: the deliveries, leased as one batch, fail once together, are recorded, and stay queued.
            await orthanc.StopAsync();
            var worker = DeliveryService.CreateWorker(dataSource, "orthanc", destination, 0, root);
            Assert.True(await worker.RunOnceAsync(CancellationToken.None));
            foreach (var id in deliveries) Assert.Equal(WorkState.Queued, (await outbox.GetAsync(id, CancellationToken.None))!.State);

            // It comes back: both are delivered, and nothing remains.
            await orthanc.StartAsync();
            while (await worker.RunOnceAsync(CancellationToken.None)) { }
            foreach (var id in deliveries)
            {
                var info = (await outbox.GetAsync(id, CancellationToken.None))!;
                Assert.Equal((WorkState.Succeeded, 2, 0), (info.State, info.Attempts, info.LastDimseStatus));
                await using var cmd = dataSource.CreateCommand(string.Create(CultureInfo.InvariantCulture,
                    $"SELECT string_agg(CASE WHEN succeeded THEN 't' ELSE 'f' END, ',' ORDER BY attempt) FROM delivery_attempts WHERE delivery_id = {id}"));
                Assert.Equal("f,t", await cmd.ExecuteScalarAsync());
            }

            var lookup = await orthanc.PostJsonAsync("/tools/lookup", source.StudyInstanceUid);
            var studyId = lookup.EnumerateArray().Single(e => e.GetProperty("Type").GetString() == "Study").GetProperty("ID").GetString();
            var studySeries = await orthanc.GetJsonAsync($"/studies/{studyId}/series");
            var modalities = studySeries.EnumerateArray().Select(s => s.GetProperty("MainDicomTags").GetProperty("Modality").GetString() ?? "").Order().ToArray();
            Assert.Equal(["CT", "OT", "SEG", "SR"], modalities);
            var instances = await orthanc.GetJsonAsync($"/studies/{studyId}/instances");
            Assert.Equal(files.Count + 2 + keyImages.Count, instances.GetArrayLength());
        }
        finally
        {
            await orthanc.StopAsync();
        }
    }
}
