using System.Globalization;
using Agent.Storage.Provenance;
using Agent.Storage.Queue;
using Npgsql;

namespace Agent.Storage.Tests;

/// <summary>Received instances forwarded through the outbox: queued by a job, leased in batches per destination.</summary>
public sealed class ForwardOutboxTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private static readonly RetryPolicy Later = new() { BaseDelay = TimeSpan.FromMinutes(10), Jitter = 0.5 };
    private static int _uid;

    private static string Uid() => "1.2.826.0.1.3680043.10.7." + Interlocked.Increment(ref _uid).ToString(CultureInfo.InvariantCulture);

    // A series with instances numbered 1..count; returns its row id.
    private async Task<(long SeriesId, string SeriesUid)> SeriesAsync(int count, string? seriesUid = null, string? studyUid = null, int firstNumber = 1)
    {
        var index = new InstanceIndex(DataSource);
        seriesUid ??= Uid();
        studyUid ??= Uid();
        for (var n = firstNumber; n < firstNumber + count; n++)
        {
            var sop = Uid();
            await index.IndexInstanceAsync(new InstanceRecord
            {
                StudyInstanceUid = studyUid, SeriesInstanceUid = seriesUid, SopInstanceUid = sop, SopClassUid = "1.2.840.10008.5.1.4.1.1.2",
                TransferSyntaxUid = "1.2.840.10008.1.2.1", FilePath = $"instances/{sop}.dcm", FileSize = 10, Sha256 = new string('a', 64), Modality = "CT", InstanceNumber = n,
            }, DuplicatePolicy.KeepFirst, default);
        }
        return ((await index.FindSeriesAsync(seriesUid, default))!.Id, seriesUid);
    }

    // Runs a forward job to completion: what the forward-series handler returns, committed by the queue.
    private async Task<long> ForwardAsync(long seriesId, string key, params string[] destinations)
    {
        var queue = new JobQueue(DataSource);
        var job = await queue.EnqueueAsync(new JobRequest { Kind = "forward-series", IdempotencyKey = key, SeriesId = seriesId }, default);
        var lease = await queue.TryLeaseAsync("worker", Lease, ["forward-series"], default);
        Assert.Equal(job.Id, lease!.Id);
        Assert.True(await queue.CompleteAsync(lease, new JobOutcome { Forwards = destinations.Select(d => new SeriesForward(seriesId, d, 3)).ToList() }, default));
        return job.Id;
    }

    private async Task<List<string>> StringsAsync(string sql)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        await using var reader = await cmd.ExecuteReaderAsync();
        var list = new List<string>();
        while (await reader.ReadAsync()) list.Add(reader.GetString(0));
        return list;
    }

    [Fact]
    public async Task A_forward_job_queues_each_instance_once_per_destination_and_a_rerun_queues_only_new_instances()
    {
        var (seriesId, seriesUid) = await SeriesAsync(3);
        var first = await ForwardAsync(seriesId, "fwd-1", "PACS", "VNA");
        await SeriesAsync(1, seriesUid, firstNumber: 4);
        var second = await ForwardAsync(seriesId, "fwd-1:rerun1", "PACS", "VNA");

        var rows = await StringsAsync($"""
            SELECT i.instance_number || '|' || d.destination || '|' || d.job_id || '|' || d.max_attempts FROM deliveries d JOIN instances i ON i.id = d.instance_id
            WHERE i.series_id = {seriesId} ORDER BY d.destination, i.instance_number
            """);
        Assert.Equal([
            $"1|PACS|{first}|3", $"2|PACS|{first}|3", $"3|PACS|{first}|3", $"4|PACS|{second}|3",
            $"1|VNA|{first}|3", $"2|VNA|{first}|3", $"3|VNA|{first}|3", $"4|VNA|{second}|3",
        ], rows);
    }

    [Fact]
    public async Task A_batch_holds_due_deliveries_of_one_destination_only_and_a_refused_instance_does_not_fail_the_others()
    {
        await ExecAsync("UPDATE deliveries SET state = 'cancelled', lease_token = NULL WHERE state IN ('queued', 'running')");
        var (seriesId, seriesUid) = await SeriesAsync(4);
        var job = await ForwardAsync(seriesId, "fwd-batch", "ONE", "TWO");
        var outbox = new DeliveryOutbox(DataSource);

        var batch = await outbox.TryLeaseBatchAsync("sender", Lease, ["TWO"], 100, default);

        Assert.NotNull(batch);
        Assert.Equal(4, batch.Items.Count);
        Assert.All(batch.Items, i => Assert.Equal(("TWO", batch.Token), (i.Destination, i.Token)));
        Assert.All(batch.Items, i => Assert.Equal(($"instances/{i.SopInstanceUid}.dcm", "1.2.840.10008.5.1.4.1.1.2"), (i.FilePath, i.SopClassUid)));
        Assert.True(await outbox.CompleteAsync(batch.Items[0], 0x0000, default));
        Assert.True((await outbox.FailAsync(batch.Items[1], "C-STORE refused: out of resources", 0xA700, permanent: false, Later, default)).Accepted);
        Assert.True(await outbox.CompleteAsync(batch.Items[2], 0xB000, default));
        Assert.True(await outbox.CompleteAsync(batch.Items[3], 0x0000, default));

        var provenance = await StringsAsync($"""
            SELECT instance_number || '|' || delivery_state || '|' || coalesce(delivery_dimse_status, -1) || '|' || (delivered_at IS NOT NULL) || '|' || job_id
            FROM forward_provenance WHERE series_instance_uid = '{seriesUid}' AND destination = 'TWO' ORDER BY instance_number
            """);
        Assert.Equal([$"1|succeeded|0|true|{job}", $"2|queued|{0xA700}|false|{job}", $"3|succeeded|{0xB000}|true|{job}", $"4|succeeded|0|true|{job}"], provenance);
        Assert.Equal(4L, await ScalarAsync($"SELECT count(*) FROM forward_provenance WHERE series_instance_uid = '{seriesUid}' AND destination = 'ONE' AND delivery_state = 'queued'"));
    }

    [Fact]
    public async Task The_unfinished_rest_of_a_batch_fails_with_one_retry_time_for_all_and_a_stopping_sender_gives_its_rest_back()
    {
        await ExecAsync("UPDATE deliveries SET state = 'cancelled', lease_token = NULL WHERE state IN ('queued', 'running')");
        var (seriesId, _) = await SeriesAsync(5);
        await ForwardAsync(seriesId, "fwd-rest", "DOWN");
        var outbox = new DeliveryOutbox(DataSource);

        var batch = (await outbox.TryLeaseBatchAsync("sender", Lease, null, 3, default))!;
        Assert.Equal(3, batch.Items.Count);
        Assert.True(await outbox.CompleteAsync(batch.Items[0], 0, default));
        Assert.Equal(2, await outbox.FailOpenAsync(batch, "association aborted", null, permanent: false, Later, default));

        var failed = await StringsAsync($"""
            SELECT d.state || '|' || d.attempts || '|' || d.next_attempt_at::text || '|' || a.error FROM deliveries d JOIN delivery_attempts a ON a.delivery_id = d.id
            WHERE d.id IN ({batch.Items[1].Id}, {batch.Items[2].Id})
            """);
        Assert.Equal(2, failed.Count);
        Assert.Single(failed.Distinct());
        Assert.StartsWith("queued|1|", failed[0], StringComparison.Ordinal);

        var rest = (await outbox.TryLeaseBatchAsync("sender", Lease, null, 100, default))!;
        Assert.Equal(2, rest.Items.Count);
        Assert.True(await outbox.ReleaseAsync(rest, default));
        Assert.Equal(2L, await ScalarAsync($"SELECT count(*) FROM deliveries WHERE id IN ({rest.Items[0].Id}, {rest.Items[1].Id}) AND state = 'queued' AND attempts = 0"));
    }

    [Fact]
    public async Task A_delivery_references_exactly_one_of_an_output_or_an_instance()
    {
        var e = await Assert.ThrowsAsync<PostgresException>(() => ExecAsync("INSERT INTO deliveries (destination) VALUES ('PACS')"));

        Assert.Equal("deliveries_one_object", e.ConstraintName);
    }
}
