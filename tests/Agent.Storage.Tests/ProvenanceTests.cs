using Agent.Storage.Provenance;
using Agent.Storage.Queue;

namespace Agent.Storage.Tests;

public sealed class ProvenanceTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private const string Study = "1.2.826.0.1.3680043.10.99.1";
    private const string Series = "1.2.826.0.1.3680043.10.99.1.1";
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private static readonly RetryPolicy Immediate = new() { BaseDelay = TimeSpan.Zero, Jitter = 0 };

    [Fact]
    public async Task The_study_provenance_says_which_model_version_produced_which_output_and_where_it_was_sent()
    {
        var index = new InstanceIndex(DataSource);
        var indexed = await index.IndexInstanceAsync(
            new InstanceRecord
            {
                StudyInstanceUid = Study, SeriesInstanceUid = Series, SopInstanceUid = Series + ".1", SopClassUid = "1.2.840.10008.5.1.4.1.1.2",
                TransferSyntaxUid = "1.2.840.10008.1.2.1", FilePath = "/s/1.dcm", FileSize = 10, Sha256 = new string('0', 64), Modality = "CT",
            },
            DuplicatePolicy.KeepFirst,
            default);
        var modelId = await new ModelRepository(DataSource).EnsureAsync("liver-unet", "2.1.0", new string('f', 64), "3D U-Net", default);
        var jobs = new JobQueue(DataSource);
        var job = await jobs.EnqueueAsync(
            new JobRequest { Kind = "segment", IdempotencyKey = $"segment:{Series}:liver:2.1.0", SeriesId = indexed.SeriesId, StudyId = indexed.StudyId, Pipeline = "liver", ModelId = modelId },
            default);
        await new RuleDecisionRepository(DataSource).RecordAsync(
            new RuleDecision { SeriesId = indexed.SeriesId, StudyId = indexed.StudyId, RuleName = "ct-abdomen", Matched = true, Pipeline = "liver", JobId = job.Id },
            default);
        var lease = await jobs.TryLeaseAsync("node-a/worker-1", Lease, null, default);
        var outputs = new OutputRepository(DataSource);
        var seg = await outputs.RecordAsync(Output("SEG", ".900.1", job.Id, indexed.SeriesId, modelId), default);
        var sr = await outputs.RecordAsync(Output("SR", ".900.2", job.Id, indexed.SeriesId, modelId), default);
        Assert.True(await jobs.CompleteAsync(lease!, new JobOutcome { Device = "cpu", SoftwareVersion = "0.1.0", TimingsJson = """{"inference_ms":8000}""" }, default));

        var outbox = new DeliveryOutbox(DataSource);
        await outbox.EnqueueAsync(seg, "PACS", 0, 3, default);
        await outbox.EnqueueAsync(sr, "PACS", 0, 3, default);
        var first = await outbox.TryLeaseAsync("sender", Lease, null, default);
        Assert.True(await outbox.CompleteAsync(first!, 0x0000, default));
        var second = await outbox.TryLeaseAsync("sender", Lease, null, default);
        Assert.True((await outbox.FailAsync(second!, "association rejected", null, permanent: false, Immediate, default)).Accepted);
        var retry = await outbox.TryLeaseAsync("sender", Lease, null, default);
        Assert.Equal(2, retry!.Attempt);
        Assert.True(await outbox.CompleteAsync(retry, 0xB000, default));

        var rows = await new ProvenanceQueries(DataSource).ForStudyAsync(Study, default);

        Assert.Equal(2, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.Equal(("liver-unet", "2.1.0", "cpu", "0.1.0"), (r.ModelName, r.ModelVersion, r.Device, r.SoftwareVersion));
            Assert.Equal((Series, "CT", "PACS", WorkState.Succeeded), (r.SourceSeriesInstanceUid, r.SourceModality, r.Destination, r.DeliveryState));
            Assert.NotNull(r.DeliveredAt);
        });
        Assert.Equal(["SEG", "SR"], rows.Select(r => r.OutputKind).Order(StringComparer.Ordinal));
        Assert.Equal([1, 2], rows.Select(r => r.DeliveryAttempts!.Value).Order());
        Assert.Equal(3L, await ScalarAsync("SELECT count(*) FROM delivery_attempts"));
    }

    [Fact]
    public async Task Completing_a_job_records_its_outputs_and_deliveries_in_the_same_transaction()
    {
        var jobs = new JobQueue(DataSource);
        var id = (await jobs.EnqueueAsync(new JobRequest { Kind = "segment", IdempotencyKey = "with-outputs-" + Guid.NewGuid() }, default)).Id;
        var stale = await jobs.TryLeaseAsync("first", Lease, null, default);
        await ExecAsync($"UPDATE jobs SET lease_expires_at = now() - interval '1 second' WHERE id = {id}");
        var current = await jobs.TryLeaseAsync("second", Lease, null, default);
        var produced = new ProducedOutput(Output("SEG", ".903.1", null, null, null), ["PACS", "ARCHIVE"]);

        // The attempt whose lease was reclaimed records nothing, not even its outputs.
        Assert.False(await jobs.CompleteAsync(stale!, new JobOutcome { Outputs = [produced] }, default));
        Assert.Equal(0L, await ScalarAsync($"SELECT count(*) FROM outputs WHERE sop_instance_uid = '{Study}.903.1'"));

        Assert.True(await jobs.CompleteAsync(current!, new JobOutcome { Outputs = [produced] }, default));

        Assert.Equal(id, await ScalarAsync($"SELECT job_id FROM outputs WHERE sop_instance_uid = '{Study}.903.1'"));
        Assert.Equal("ARCHIVE,PACS", await ScalarAsync($"SELECT string_agg(d.destination, ',' ORDER BY d.destination) FROM deliveries d JOIN outputs o ON o.id = d.output_id WHERE o.sop_instance_uid = '{Study}.903.1'"));
    }

    [Fact]
    public async Task An_output_recorded_twice_by_a_rerun_job_keeps_one_row()
    {
        var outputs = new OutputRepository(DataSource);
        var a = await outputs.RecordAsync(Output("SEG", ".901.1", null, null, null), default);
        var b = await outputs.RecordAsync(Output("SEG", ".901.1", null, null, null), default);

        Assert.Equal(a, b);
    }

    [Fact]
    public async Task A_model_version_registered_with_other_weights_is_refused()
    {
        var models = new ModelRepository(DataSource);
        var id = await models.EnsureAsync("spleen", "1.0", new string('a', 64), null, default);

        Assert.Equal(id, await models.EnsureAsync("spleen", "1.0", new string('A', 64), null, default));
        var ex = await Assert.ThrowsAsync<StorageConflictException>(() => models.EnsureAsync("spleen", "1.0", new string('b', 64), null, default));
        Assert.Contains("new version", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delivery_whose_sender_died_is_reclaimed_with_an_attempt_row_and_fails_after_its_last_attempt()
    {
        var outputs = new OutputRepository(DataSource);
        var outbox = new DeliveryOutbox(DataSource);
        var output = await outputs.RecordAsync(Output("SR", ".902.1", null, null, null), default);
        var delivery = await outbox.EnqueueAsync(output, "ARCHIVE", 0, 2, default);
        Assert.False((await outbox.EnqueueAsync(output, "ARCHIVE", 0, 2, default)).Created);

        var dead = await outbox.TryLeaseAsync("dead-sender", Lease, ["ARCHIVE"], default);
        await ExecAsync($"UPDATE deliveries SET lease_expires_at = now() - interval '1 second' WHERE id = {delivery.Id}");
        var again = await outbox.TryLeaseAsync("sender", Lease, ["ARCHIVE"], default);
        Assert.Equal((delivery.Id, 2), (again!.Id, again.Attempt));
        Assert.False(await outbox.CompleteAsync(dead!, 0, default));

        var final = await outbox.FailAsync(again, "C-STORE refused", 0xA700, permanent: false, Immediate, default);

        Assert.Equal(WorkState.Failed, final.State);
        var info = await outbox.GetAsync(delivery.Id, default);
        Assert.Equal((2, 0xA700), (info!.Attempts, info.LastDimseStatus));
        Assert.Equal(2L, await ScalarAsync($"SELECT count(*) FROM delivery_attempts WHERE delivery_id = {delivery.Id}"));
        Assert.True(await outbox.RequeueAsync(delivery.Id, default));
        Assert.True(await outbox.CancelAsync(delivery.Id, "destination removed", default));
    }

    private static OutputRecord Output(string kind, string suffix, long? job, long? sourceSeries, long? model) => new()
    {
        Kind = kind,
        SopClassUid = kind == "SEG" ? "1.2.840.10008.5.1.4.1.1.66.4" : "1.2.840.10008.5.1.4.1.1.88.34",
        SopInstanceUid = Study + suffix,
        SeriesInstanceUid = Study + suffix + ".0",
        StudyInstanceUid = Study,
        JobId = job,
        SourceSeriesId = sourceSeries,
        ModelId = model,
        FilePath = $"/out/{kind}{suffix}.dcm",
    };
}
