using System.Collections.Concurrent;
using System.Globalization;
using Agent.Storage.Queue;
using Npgsql;

namespace Agent.Storage.Tests;

public sealed class JobWorkerTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private static readonly RetryPolicy Immediate = new() { BaseDelay = TimeSpan.Zero, Jitter = 0 };
    private static int _key;

    private static JobRequest Job(int maxAttempts = 5) => new()
    {
        Kind = "segment",
        IdempotencyKey = "wjob-" + Interlocked.Increment(ref _key).ToString(CultureInfo.InvariantCulture),
        MaxAttempts = maxAttempts,
    };

    private JobWorker Worker(NpgsqlDataSource ds, string name, Func<JobLease, CancellationToken, Task<JobOutcome>> handler, TimeSpan? poll = null) =>
        new(ds, new JobWorkerOptions { Name = name, RetryPolicy = Immediate, PollInterval = poll ?? TimeSpan.FromMilliseconds(200), RenewEvery = TimeSpan.FromMilliseconds(100) }, handler);

    [Fact]
    public async Task Workers_in_separate_connection_pools_share_the_queue_and_run_each_job_once()
    {
        await ExecAsync("DELETE FROM jobs");
        var queue = new JobQueue(DataSource);
        const int jobs = 60;
        for (var i = 0; i < jobs; i++)
        {
            await queue.EnqueueAsync(Job(), default);
        }

        var runs = new ConcurrentDictionary<long, ConcurrentBag<string>>();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var pools = Enumerable.Range(0, 3).Select(_ => NpgsqlDataSource.Create(ConnectionString)).ToArray();
        var loops = pools.Select((ds, i) => Worker(ds, $"process-{i}", async (lease, ct) =>
        {
            runs.GetOrAdd(lease.Id, _ => []).Add($"process-{i}");
            await Task.Delay(5, ct);
            return new JobOutcome { Device = "cpu" };
        }).RunAsync(stop.Token)).ToArray();

        while (!stop.IsCancellationRequested && (await queue.CountByStateAsync(default)).GetValueOrDefault(WorkState.Succeeded) < jobs)
        {
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await Task.WhenAll(loops);
        foreach (var ds in pools)
        {
            await ds.DisposeAsync();
        }

        Assert.Equal(jobs, runs.Count);
        Assert.All(runs.Values, v => Assert.Single(v));
        Assert.True(runs.Values.Select(v => v.Single()).Distinct().Count() >= 2, "only one worker did any work");
    }

    [Fact]
    public async Task A_handler_exception_is_a_failed_attempt_that_is_retried()
    {
        await ExecAsync("DELETE FROM jobs");
        var queue = new JobQueue(DataSource);
        var id = (await queue.EnqueueAsync(Job(), default)).Id;
        var calls = 0;
        var worker = Worker(DataSource, "w", (_, _) => ++calls == 1 ? throw new InvalidDataException("bad slice spacing") : Task.FromResult(new JobOutcome()));

        Assert.True(await worker.RunOnceAsync(default));
        Assert.Equal(WorkState.Queued, (await queue.GetAsync(id, default))!.State);
        Assert.True(await worker.RunOnceAsync(default));

        var info = await queue.GetAsync(id, default);
        Assert.Equal((WorkState.Succeeded, 2, 2), (info!.State, info.Attempts, calls));
    }

    [Fact]
    public async Task The_heartbeat_keeps_a_job_longer_than_its_lease_away_from_other_workers()
    {
        await ExecAsync("DELETE FROM jobs");
        var queue = new JobQueue(DataSource);
        var id = (await queue.EnqueueAsync(Job(), default)).Id;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var worker = new JobWorker(
            DataSource,
            new JobWorkerOptions { Name = "slow", LeaseDuration = TimeSpan.FromSeconds(3), RenewEvery = TimeSpan.FromMilliseconds(300) },
            async (_, ct) =>
            {
                started.SetResult();
                await release.Task.WaitAsync(ct);
                return new JobOutcome();
            });

        var run = worker.RunOnceAsync(default);
        await started.Task;
        // Until the database's clock has passed the first lease's expiry twice over: without renewals the job would now
        // be reclaimed by the other worker's lease attempt. (Waiting on that clock, not a sleep, keeps the claim exact.)
        var firstExpiry = (DateTime)(await ScalarAsync($"SELECT lease_expires_at FROM jobs WHERE id = {id}"))!;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while ((bool)(await ScalarAsync($"SELECT now() < '{firstExpiry:O}'::timestamptz + interval '3 seconds'"))! && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        var stolen = await queue.TryLeaseAsync("other", TimeSpan.FromMinutes(1), null, default);
        release.SetResult();
        await run;

        Assert.Null(stolen);
        var info = await queue.GetAsync(id, default);
        Assert.Equal((WorkState.Succeeded, 1), (info!.State, info.Attempts));
    }

    [Fact]
    public async Task Cancelling_a_job_stops_its_running_handler()
    {
        await ExecAsync("DELETE FROM jobs");
        var queue = new JobQueue(DataSource);
        var id = (await queue.EnqueueAsync(Job(), default)).Id;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var worker = Worker(DataSource, "w", async (_, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return new JobOutcome();
        });

        var run = worker.RunOnceAsync(default);
        await started.Task;
        Assert.True(await queue.CancelAsync(id, "operator", default));

        Assert.True(await run.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(WorkState.Cancelled, (await queue.GetAsync(id, default))!.State);
    }

    [Fact]
    public async Task Stopping_a_worker_gives_its_job_back_without_using_an_attempt()
    {
        await ExecAsync("DELETE FROM jobs");
        var queue = new JobQueue(DataSource);
        var id = (await queue.EnqueueAsync(Job(), default)).Id;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var worker = Worker(DataSource, "w", async (_, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return new JobOutcome();
        });

        var run = worker.RunAsync(stop.Token);
        await started.Task;
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(60));

        var info = await queue.GetAsync(id, default);
        Assert.Equal((WorkState.Queued, 0), (info!.State, info.Attempts));
    }

    [Fact]
    public async Task An_idle_worker_starts_a_new_job_on_notification_without_waiting_for_its_poll()
    {
        await ExecAsync("DELETE FROM jobs");
        var queue = new JobQueue(DataSource);
        var ran = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        // A 10-minute poll: only the notification can wake it within the test.
        var worker = Worker(DataSource, "w", (lease, _) => { ran.TrySetResult(lease.Id); return Task.FromResult(new JobOutcome()); }, TimeSpan.FromMinutes(10));
        var run = worker.RunAsync(stop.Token);
        // Subscribed before it looks for work, so from here the job is either found by that look or notified.
        Assert.True(await WaitForListenerAsync(JobQueue.NotificationChannel));

        var id = (await queue.EnqueueAsync(Job(), default)).Id;

        Assert.Equal(id, await ran.Task.WaitAsync(TimeSpan.FromSeconds(60)));
        await stop.CancelAsync();
        await run;
    }
}
