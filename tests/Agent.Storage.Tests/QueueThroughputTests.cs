using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Agent.Storage.Embedded;
using Agent.Storage.Migrations;
using Agent.Storage.Queue;
using Npgsql;
using Xunit.Abstractions;

namespace Agent.Storage.Tests;

/// <summary>
/// Measures (does not assert) jobs/second through the queue with 1 and 4 no-op workers, on the shared fast test
/// cluster (fsync off) and on a durable cluster (fsync and synchronous_commit on, as the agent runs).
/// Printed to the test output and appended to $TMPDIR/agent-storage-queue-throughput.txt.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class QueueThroughputTests(PostgresFixture pg, ITestOutputHelper output)
{
    private const int Jobs = 400;

    [Fact]
    public async Task Throughput_with_one_and_four_workers_is_measured_on_fast_and_durable_clusters()
    {
        var lines = new List<string>();
        var fast = await pg.CreateDatabaseAsync(nameof(QueueThroughputTests));
        lines.AddRange(await MeasureAsync("fsync off", fast));

        var root = PostgresFixture.CreateRoot();
        try
        {
            var options = new EmbeddedPostgresOptions { ClusterDirectory = Path.Combine(root, "pg"), Durable = false };
            // initdb without sync (fast), then run durable: the durability settings apply per start.
            await (await EmbeddedPostgres.StartAsync(options, null, default)).DisposeAsync();
            await using var durable = await EmbeddedPostgres.StartAsync(
                new EmbeddedPostgresOptions { ClusterDirectory = options.ClusterDirectory, Durable = true }, null, default);
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

        return lines;
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
