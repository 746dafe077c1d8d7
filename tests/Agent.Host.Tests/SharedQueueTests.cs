using System.Globalization;
using System.Text.Json;
using Agent.Host.Jobs;
using Agent.Storage.Embedded;
using Agent.Storage.Queue;
using Npgsql;
using Xunit.Abstractions;

namespace Agent.Host.Tests;

/// <summary>Issue 4's scale-out acceptance: two agent processes on one PostgreSQL split a queue of jobs.</summary>
public sealed class SharedQueueTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    private static string CopyTree(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return to;
    }

    [Fact]
    public async Task Two_agent_processes_sharing_one_database_run_each_job_exactly_once_and_both_do_work()
    {
        using var root = new TempHome();
        var homeA = Directory.CreateDirectory(Path.Combine(root.Path, "a")).FullName;
        var homeB = Directory.CreateDirectory(Path.Combine(root.Path, "b")).FullName;
        await using var pg = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions
        {
            ClusterDirectory = Path.Combine(root.Path, "db"),
            Durable = false,
            Settings = new Dictionary<string, string> { ["max_connections"] = "100" },
        }, null, CancellationToken.None);
        var environment = new Dictionary<string, string>
        {
            ["AGENT__Dicom__Port"] = "0",
            ["AGENT__Dicom__BindAddress"] = "127.0.0.1",
            ["AGENT__Database__ConnectionString"] = pg.ConnectionString,
            ["AGENT__Jobs__Workers"] = "2",
            ["AGENT__Jobs__PollSeconds"] = "1",
        };

        // Agent A receives two series; B gets a copy of the files (as with a shared instance store).
        var series = new[] { TestInstances.WriteSeries(Path.Combine(root.Path, "s1"), 5), TestInstances.WriteSeries(Path.Combine(root.Path, "s2"), 5) };
        await using var agentA = AgentProcess.Start(homeA, environment);
        var portA = await agentA.ListeningPortAsync(StartTimeout);
        var storescu = Storescu.Start(portA, "MODALITY", series.SelectMany(s => s));
        Assert.Equal(0, await storescu.WaitAsync(TimeSpan.FromMinutes(3)));
        CopyTree(Path.Combine(homeA, "data", "instances"), Path.Combine(homeB, "data", "instances"));
        await using var agentB = AgentProcess.Start(homeB, environment);
        await agentB.ListeningPortAsync(StartTimeout);

        await using var dataSource = NpgsqlDataSource.Create(pg.ConnectionString);
        var queue = new JobQueue(dataSource);
        var seriesUids = series.Select(s => Agent.Dicom.DicomFile.Open(s[0]).Dataset.GetString(Agent.Dicom.DicomTags.SeriesInstanceUID)!).ToList();
        var ids = new List<long>();
        async Task<List<long>> RunBatchAsync(int count)
        {
            var batch = new List<long>();
            for (var i = 0; i < count; i++)
            {
                var n = ids.Count + batch.Count;
                var result = await queue.EnqueueAsync(new JobRequest
                {
                    Kind = VerifySeriesJob.KindName,
                    IdempotencyKey = "verify-" + n.ToString(CultureInfo.InvariantCulture),
                    PayloadJson = VerifySeriesJob.Payload(seriesUids[n % 2]),
                }, CancellationToken.None);
                batch.Add(result.Id);
            }
            ids.AddRange(batch);
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
            while ((await queue.ListAsync(null, 1000, CancellationToken.None)).Count(j => batch.Contains(j.Id) && j.State is "succeeded" or "failed") < count
                   && DateTime.UtcNow < deadline)
                await Task.Delay(200);
            return batch;
        }

        // Who does what is decided by freezing the other process (SIGSTOP), not by timing: a busy machine may let one
        // process take a whole batch before the other wakes, so "both did some" must not depend on who is faster.
        await agentB.FreezeAsync();
        var onlyA = await RunBatchAsync(10);
        await agentA.FreezeAsync();
        // Both frozen: let a lease query A sent just before it stopped finish, so it cannot take a job of B's batch.
        await using (var idle = dataSource.CreateCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state <> 'idle' AND pid <> pg_backend_pid()"))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
            while ((long)(await idle.ExecuteScalarAsync())! > 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        }
        await agentB.ThawAsync();
        var onlyB = await RunBatchAsync(10);
        await agentA.ThawAsync();
        await RunBatchAsync(20); // both running: each job still exactly once

        var jobs = await queue.ListAsync(null, 1000, CancellationToken.None);
        Assert.Equal(ids.Order(), jobs.Select(j => j.Id).Order());
        Assert.All(jobs, j => Assert.Equal("succeeded", j.State));
        Assert.All(jobs, j => Assert.Equal(1, j.Attempts)); // each ran once: no second lease, no retry
        Assert.All(jobs, j =>
        {
            using var result = JsonDocument.Parse(j.ResultJson!);
            Assert.Equal(5, result.RootElement.GetProperty("instances").GetInt32());
            Assert.Equal(0, result.RootElement.GetProperty("missing").GetArrayLength());
            Assert.Equal(0, result.RootElement.GetProperty("changed").GetArrayLength());
        });
        string ProcessOf(JobInfo job)
        {
            using var result = JsonDocument.Parse(job.ResultJson!);
            return result.RootElement.GetProperty("worker").GetString()!.Split('/')[1].Split('#')[0];
        }
        var byProcess = jobs.GroupBy(ProcessOf).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine(string.Join(", ", byProcess.Select(kv => $"pid {kv.Key}: {kv.Value} jobs")));
        Assert.All(jobs.Where(j => onlyA.Contains(j.Id)), j => Assert.Equal(agentA.Id.ToString(CultureInfo.InvariantCulture), ProcessOf(j)));
        Assert.All(jobs.Where(j => onlyB.Contains(j.Id)), j => Assert.Equal(agentB.Id.ToString(CultureInfo.InvariantCulture), ProcessOf(j)));
    }
}
