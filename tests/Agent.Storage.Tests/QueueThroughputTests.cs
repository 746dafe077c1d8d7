using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Agent.Storage.Embedded;
using Agent.Storage.Migrations;
using Agent.Storage.Provenance;
using Agent.Storage.Queue;
using Npgsql;
using Xunit.Abstractions;

namespace Agent.Storage.Tests;

/// <summary>
/// Measures (does not assert) jobs/second through the queue with 1 and 4 no-op workers, and instances/second
/// through the instance index with 1 and 4 concurrent receivers, on the shared fast test
/// cluster (fsync off) and on a durable cluster (fsync and synchronous_commit on, as the agent runs).
/// Printed to the test output and appended to $TMPDIR/agent-storage-queue-throughput.txt.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class QueueThroughputTests(ITestOutputHelper output)
{
    private const int Jobs = 150;

    [Fact]
    public async Task Queue_and_index_throughput_with_one_and_four_workers_is_measured_on_a_durable_cluster()
    {
        var lines = new List<string>();
        var root = PostgresFixture.CreateRoot();
        try
        {
            // initdb without sync (fast); the server itself runs durable.
            await using var durable = await EmbeddedPostgres.StartAsync(
                new EmbeddedPostgresOptions { ClusterDirectory = Path.Combine(root, "pg"), InitWithoutSync = true }, null, default);
            await MigrationRunner.ApplyAsync(durable.ConnectionString, null, null, default);
            lines.AddRange(await MeasureAsync("durable", durable.ConnectionString));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        foreach (var line in lines)
        {
            output.WriteLine(line);
        }

        await File.AppendAllLinesAsync(Path.Combine(Path.GetTempPath(), "agent-storage-queue-throughput.txt"), lines);
    }

    private static async Task<List<string>> MeasureAsync(string label, string connectionString)
    {
        var lines = new List<string>();
        await RunAsync(connectionString, 1, 50); // warm-up: JIT, pools, plans
        foreach (var workers in new[] { 1, 4 })
        {
            var elapsed = await RunAsync(connectionString, workers, Jobs);
            lines.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"queue throughput ({label}): {workers} worker(s): {Jobs / elapsed.TotalSeconds:0} jobs/s ({Jobs} no-op jobs, lease + complete, {Environment.ProcessorCount} cores)"));
        }

        foreach (var receivers in new[] { 1, 4 })
        {
            var elapsed = await IndexAsync(connectionString, receivers, Jobs);
            lines.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"instance indexing ({label}): {receivers} concurrent receiver(s): {Jobs / elapsed.TotalSeconds:0} instances/s ({Jobs} instances of one series)"));
        }

        return lines;
    }

    private static async Task<TimeSpan> IndexAsync(string connectionString, int receivers, int instances)
    {
        await using var ds = NpgsqlDataSource.Create(connectionString);
        var index = new InstanceIndex(ds);
        var run = Random.Shared.Next(1, int.MaxValue).ToString(CultureInfo.InvariantCulture);
        var series = $"1.2.826.0.1.3680043.10.77.{run}.1";
        var sw = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, instances),
            new ParallelOptions { MaxDegreeOfParallelism = receivers },
            async (i, ct) => await index.IndexInstanceAsync(
                new InstanceRecord
                {
                    StudyInstanceUid = $"1.2.826.0.1.3680043.10.77.{run}",
                    SeriesInstanceUid = series,
                    SopInstanceUid = $"{series}.{i.ToString(CultureInfo.InvariantCulture)}",
                    SopClassUid = "1.2.840.10008.5.1.4.1.1.2",
                    TransferSyntaxUid = "1.2.840.10008.1.2.1",
                    FilePath = "/store/x.dcm",
                    FileSize = 512 * 1024,
                    Sha256 = new string('e', 64),
                    Modality = "CT",
                    PatientId = "P",
                },
                DuplicatePolicy.KeepFirst,
                ct));
        sw.Stop();
        return sw.Elapsed;
    }

    private static async Task<TimeSpan> RunAsync(string connectionString, int workers, int jobs)
    {
        await using var ds = NpgsqlDataSource.Create(connectionString);
        await using (var clear = ds.CreateCommand("DELETE FROM jobs"))
        {
            await clear.ExecuteNonQueryAsync();
        }

        var queue = new JobQueue(ds);
        var prefix = Guid.NewGuid().ToString("N");
        for (var i = 0; i < jobs; i++)
        {
            await queue.EnqueueAsync(new JobRequest { Kind = "noop", IdempotencyKey = $"{prefix}-{i}" }, default);
        }

        var runs = new ConcurrentDictionary<long, int>();
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() => JobQueueTests.RunWorkerAsync(connectionString, $"w{w}", runs))));
        sw.Stop();
        Assert.Equal(jobs, runs.Count);
        Assert.All(runs.Values, v => Assert.Equal(1, v));
        return sw.Elapsed;
    }
}
