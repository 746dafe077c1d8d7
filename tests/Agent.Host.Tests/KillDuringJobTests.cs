using System.Globalization;
using Agent.Host.Jobs;
using Agent.Storage.Embedded;
using Agent.Storage.Queue;
using Npgsql;
using Xunit.Abstractions;

namespace Agent.Host.Tests;

/// <summary>Issue 4's restart safety for jobs: SIGKILL while a job runs; after restart it completes exactly once.</summary>
public sealed class KillDuringJobTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    private static async Task<JobInfo> WaitForAsync(JobQueue queue, long id, Func<JobInfo, bool> condition, TimeSpan timeout, int pollMs)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var job = await queue.GetAsync(id, CancellationToken.None);
            if (job is not null && condition(job)) return job;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"job {id} is {job?.State}");
            await Task.Delay(pollMs);
        }
    }

    [Fact]
    public async Task A_job_running_when_the_agent_is_killed_runs_again_after_restart_and_a_finished_job_does_not()
    {
        using var root = new TempHome();
        var home = Directory.CreateDirectory(Path.Combine(root.Path, "agent")).FullName;
        await using var pg = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions { ClusterDirectory = Path.Combine(root.Path, "db") }, null, CancellationToken.None);
        var environment = new Dictionary<string, string>
        {
            ["AGENT__Dicom__Port"] = "0",
            ["AGENT__Dicom__BindAddress"] = "127.0.0.1",
            ["AGENT__Database__ConnectionString"] = pg.ConnectionString,
            ["AGENT__Jobs__Workers"] = "1",
            ["AGENT__Jobs__LeaseSeconds"] = "5",
            ["AGENT__Jobs__PollSeconds"] = "1",
        };
        var files = TestInstances.WriteSeries(Path.Combine(root.Path, "s"), 300);
        var seriesUid = Agent.Dicom.DicomFile.Open(files[0]).Dataset.GetString(Agent.Dicom.DicomTags.SeriesInstanceUID)!;
        await using var dataSource = NpgsqlDataSource.Create(pg.ConnectionString);
        var queue = new JobQueue(dataSource);
        JobRequest Verify(string key) => new() { Kind = VerifySeriesJob.KindName, IdempotencyKey = key, PayloadJson = VerifySeriesJob.Payload(seriesUid) };

        long finishedId, killedId;
        var agent = AgentProcess.Start(home, environment);
        try
        {
            var port = await agent.ListeningPortAsync(StartTimeout);
            Assert.Equal(0, await Storescu.Start(port, "MODALITY", files).WaitAsync(TimeSpan.FromMinutes(5)));

            finishedId = (await queue.EnqueueAsync(Verify("before-kill"), CancellationToken.None)).Id;
            var finished = await WaitForAsync(queue, finishedId, j => j.State == "succeeded", TimeSpan.FromMinutes(3), 20);
            output.WriteLine($"verify of 300 instances took: {finished.TimingsJson}");

            killedId = (await queue.EnqueueAsync(Verify("killed"), CancellationToken.None)).Id;
            await WaitForAsync(queue, killedId, j => j.State == "running", TimeSpan.FromMinutes(2), 2);
            await agent.FreezeAsync(); // it cannot complete the job from here on
            Assert.Equal("running", (await queue.GetAsync(killedId, CancellationToken.None))!.State);
            agent.KillHard();
        }
        finally
        {
            await agent.DisposeAsync();
        }

        await using (var restarted = AgentProcess.Start(home, environment))
        {
            await restarted.ListeningPortAsync(StartTimeout);
            // The dead worker's lease expires (5 s), the job is reclaimed and run again by the new process.
            var rerun = await WaitForAsync(queue, killedId, j => j.State is "succeeded" or "failed", TimeSpan.FromMinutes(3), 100);
            Assert.Equal("succeeded", rerun.State);
            Assert.Equal(2, rerun.Attempts);
            Assert.Contains($"/{restarted.Id.ToString(CultureInfo.InvariantCulture)}#", rerun.ResultJson, StringComparison.Ordinal);
            Assert.Equal(0, await restarted.StopAsync(TimeSpan.FromMinutes(3)));
        }

        var before = (await queue.GetAsync(finishedId, CancellationToken.None))!;
        Assert.Equal("succeeded", before.State);
        Assert.Equal(1, before.Attempts); // finished before the kill: never run again
        Assert.Equal(2, (await queue.ListAsync(null, 10, CancellationToken.None)).Count);
    }
}
