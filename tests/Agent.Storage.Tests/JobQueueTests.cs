using System.Collections.Concurrent;
using System.Globalization;
using Agent.Storage.Queue;
using Npgsql;

namespace Agent.Storage.Tests;

public sealed class JobQueueTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private static readonly RetryPolicy NoJitter = new() { BaseDelay = TimeSpan.FromSeconds(30), MaxDelay = TimeSpan.FromMinutes(10), Jitter = 0 };
    private static int _key;

    private static JobRequest Job(int priority = 0, int maxAttempts = 5, string kind = "segment") => new()
    {
        Kind = kind,
        IdempotencyKey = "job-" + Interlocked.Increment(ref _key).ToString(CultureInfo.InvariantCulture),
        Priority = priority,
        MaxAttempts = maxAttempts,
    };

    private async Task DrainAsync()
    {
        // Each test starts from an empty queue (the class shares one database).
        await ExecAsync("DELETE FROM jobs");
    }

    [Fact]
    public async Task Enqueueing_the_same_idempotency_key_twice_returns_the_first_job()
    {
        var queue = new JobQueue(DataSource);
        var request = Job();

        var first = await queue.EnqueueAsync(request, default);
        var second = await queue.EnqueueAsync(request, default);

        Assert.True(first.Created);
        Assert.Equal(new EnqueueResult(first.Id, false), second);
    }

    [Fact]
    public async Task Concurrent_enqueues_of_one_key_create_one_job()
    {
        var queue = new JobQueue(DataSource);
        var request = Job();

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => queue.EnqueueAsync(request, default))));

        Assert.Single(results, r => r.Created);
        Assert.Single(results.Select(r => r.Id).Distinct());
    }

    [Fact]
    public async Task Higher_priority_runs_first_then_the_oldest()
    {
        await DrainAsync();
        var queue = new JobQueue(DataSource);
        var low1 = await queue.EnqueueAsync(Job(priority: 0), default);
        var high = await queue.EnqueueAsync(Job(priority: 10), default);
        var low2 = await queue.EnqueueAsync(Job(priority: 0), default);

        var order = new List<long>();
        while (await queue.TryLeaseAsync("w", Lease, null, default) is { } lease)
        {
            order.Add(lease.Id);
        }

        Assert.Equal([high.Id, low1.Id, low2.Id], order);
    }

    [Fact]
    public async Task A_worker_leases_only_the_kinds_it_asks_for()
    {
        await DrainAsync();
        var queue = new JobQueue(DataSource);
        var retrieve = await queue.EnqueueAsync(Job(kind: "retrieve"), default);
        await queue.EnqueueAsync(Job(kind: "segment", priority: 5), default);

        var lease = await queue.TryLeaseAsync("w", Lease, ["retrieve"], default);

        Assert.Equal(retrieve.Id, lease?.Id);
        Assert.Null(await queue.TryLeaseAsync("w", Lease, ["retrieve"], default));
    }

    [Fact]
    public async Task Concurrent_workers_with_their_own_connections_run_each_job_exactly_once()
    {
        await DrainAsync();
        var queue = new JobQueue(DataSource);
        const int jobs = 300;
        for (var i = 0; i < jobs; i++)
        {
            await queue.EnqueueAsync(Job(priority: i % 3), default);
        }

        var runs = new ConcurrentDictionary<long, int>();
        var perWorker = await Task.WhenAll(Enumerable.Range(0, 6).Select(w => Task.Run(() => RunWorkerAsync($"w{w}", runs))));

        Assert.Equal(jobs, runs.Count);
        Assert.All(runs.Values, v => Assert.Equal(1, v));
        Assert.True(perWorker.Count(n => n > 0) >= 2, $"work was not shared: {string.Join(",", perWorker)}");
        Assert.Equal(new Dictionary<string, long> { [WorkState.Succeeded] = jobs }, await queue.CountByStateAsync(default));
    }

    [Fact]
    public async Task An_expired_lease_is_reclaimed_and_the_old_holder_can_no_longer_finish_the_job()
    {
        await DrainAsync();
        var queue = new JobQueue(DataSource);
        var id = (await queue.EnqueueAsync(Job(), default)).Id;
        var crashed = await queue.TryLeaseAsync("crashed-worker", Lease, null, default);
        Assert.NotNull(crashed);

        await ExecAsync($"UPDATE jobs SET lease_expires_at = now() - interval '1 second' WHERE id = {id}");
        var second = await queue.TryLeaseAsync("healthy-worker", Lease, null, default);

        Assert.Equal(id, second?.Id);
        Assert.Equal(2, second!.Attempt);
        Assert.False(await queue.CompleteAsync(crashed, null, default));
        Assert.False(await queue.RenewAsync(crashed, Lease, default));
        Assert.True(await queue.CompleteAsync(second, null, default));
        var info = await queue.GetAsync(id, default);
        Assert.Equal(WorkState.Succeeded, info!.State);
    }

    [Fact]
    public async Task A_restarted_node_takes_back_only_its_own_previous_leases_at_once()
    {
        await DrainAsync();
        var queue = new JobQueue(DataSource);
        await queue.EnqueueAsync(Job(), default);
        await queue.EnqueueAsync(Job(), default);
        var killed = await queue.TryLeaseAsync("node-a/worker-1", Lease, null, default);
        var alive = await queue.TryLeaseAsync("node-b/worker-1", Lease, null, default);

        Assert.Equal(1, await queue.ReclaimOwnedByAsync("node-a/", default));

        var again = await queue.TryLeaseAsync("node-a/worker-1", Lease, null, default);
        Assert.Equal((killed!.Id, 2), (again!.Id, again.Attempt));
        Assert.False(await queue.CompleteAsync(killed, null, default));
        Assert.True(await queue.CompleteAsync(alive!, null, default));
    }

    [Fact]
    public async Task A_renewed_lease_is_not_reclaimed()
    {
        await DrainAsync();
        var queue = new JobQueue(DataSource);
        await queue.EnqueueAsync(Job(), default);
        var lease = await queue.TryLeaseAsync("w", TimeSpan.FromSeconds(1), null, default);
        Assert.NotNull(lease);

        Assert.True(await queue.RenewAsync(lease, TimeSpan.FromMinutes(10), default));
        Assert.Equal(0, await queue.ReclaimExpiredAsync(default));
        Assert.True(lease.LeaseExpiresAt > DateTime.UtcNow.AddMinutes(5));
    }

    [Fact]
    public async Task A_failed_attempt_is_retried_after_an_exponential_backoff_until_attempts_run_out()
    {
        await DrainAsync();
        var queue = new JobQueue(DataSource);
        var id = (await queue.EnqueueAsync(Job(maxAttempts: 3), default)).Id;
        var delays = new List<double>();

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var lease = await queue.TryLeaseAsync("w", Lease, null, default);
            Assert.Equal((id, attempt), (lease!.Id, lease.Attempt));
            var failed = await queue.FailAsync(lease, new JobOutcome { Error = $"boom {attempt}" }, NoJitter, default);
            Assert.True(failed.Accepted);
            if (attempt < 3)
            {
                Assert.Equal(WorkState.Queued, failed.State);
                delays.Add(((double?)await ScalarAsync($"SELECT EXTRACT(EPOCH FROM next_attempt_at - now())::float8 FROM jobs WHERE id = {id}"))!.Value);
                // Not due yet: nobody gets it.
                Assert.Null(await queue.TryLeaseAsync("w", Lease, null, default));
                await ExecAsync($"UPDATE jobs SET next_attempt_at = now() WHERE id = {id}");
            }
            else
            {
                Assert.Equal(WorkState.Failed, failed.State);
            }
        }

        Assert.InRange(delays[0], 25, 30);
        Assert.InRange(delays[1], 55, 60);
        var info = await queue.GetAsync(id, default);
        Assert.Equal((WorkState.Failed, 3, "boom 3"), (info!.State, info.Attempts, info.LastError));
        Assert.NotNull(info.FinishedAt);
    }

    [Fact]
    public async Task A_huge_error_message_is_stored_truncated()
    {
        await DrainAsync();
        var queue = new JobQueue(DataSource);
        var id = (await queue.EnqueueAsync(Job(), default)).Id;
        var lease = await queue.TryLeaseAsync("w", Lease, null, default);

        await queue.FailAsync(lease!, new JobOutcome { Error = new string('x', 1_000_000) }, NoJitter, default);

        Assert.Equal(4000, (await queue.GetAsync(id, default))!.LastError!.Length);
    }

    [Fact]
    public async Task A_permanent_failure_fails_the_job_at_once()
    {
        await DrainAsync();
        var queue = new JobQueue(DataSource);
        var id = (await queue.EnqueueAsync(Job(maxAttempts: 5), default)).Id;
        var lease = await queue.TryLeaseAsync("w", Lease, null, default);

        var result = await queue.FailAsync(lease!, new JobOutcome { Error = "not a CT series", Permanent = true }, NoJitter, default);

        Assert.Equal(new FailResult(true, WorkState.Failed, null), result);
        Assert.True(await queue.RequeueAsync(id, default));
        Assert.Equal(1, (await queue.TryLeaseAsync("w", Lease, null, default))!.Attempt);
    }

    [Fact]
    public async Task A_lease_expiring_on_the_last_attempt_fails_the_job()
    {
        await DrainAsync();
        var queue = new JobQueue(DataSource);
        var id = (await queue.EnqueueAsync(Job(maxAttempts: 1), default)).Id;
        await queue.TryLeaseAsync("crashing-worker", Lease, null, default);
        await ExecAsync($"UPDATE jobs SET lease_expires_at = now() - interval '1 second' WHERE id = {id}");

        Assert.Equal(1, await queue.ReclaimExpiredAsync(default));

        var info = await queue.GetAsync(id, default);
        Assert.Equal(WorkState.Failed, info!.State);
        Assert.Contains("crashing-worker", info.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_finished_job_is_never_leased_again()
    {
        await DrainAsync();
        var queue = new JobQueue(DataSource);
        var id = (await queue.EnqueueAsync(Job(), default)).Id;
        var lease = await queue.TryLeaseAsync("w", Lease, null, default);
        Assert.True(await queue.CompleteAsync(lease!, new JobOutcome { TimingsJson = """{"infer_ms":1234}""", Device = "cpu", SoftwareVersion = "0.1.0" }, default));

        Assert.False(await queue.CompleteAsync(lease!, null, default));
        Assert.False((await queue.FailAsync(lease!, new JobOutcome { Error = "late" }, NoJitter, default)).Accepted);
        Assert.False(await queue.CancelAsync(id, "too late", default));
        Assert.False(await queue.RequeueAsync(id, default));
        Assert.False(await queue.ReleaseAsync(lease!, default));
        await ExecAsync("UPDATE jobs SET next_attempt_at = now() - interval '1 hour'");
        Assert.Null(await queue.TryLeaseAsync("w", Lease, null, default));
        var info = await queue.GetAsync(id, default);
        Assert.Equal((WorkState.Succeeded, "cpu"), (info!.State, info.Device));
        Assert.Contains("infer_ms", info.TimingsJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_status_list_filters_by_state_newest_first()
    {
        await DrainAsync();
        var queue = new JobQueue(DataSource);
        var a = await queue.EnqueueAsync(Job(), default);
        var b = await queue.EnqueueAsync(Job(), default);
        await queue.CancelAsync(a.Id, "operator", default);

        Assert.Equal([b.Id, a.Id], (await queue.ListAsync(null, 10, default)).Select(j => j.Id));
        var cancelled = Assert.Single(await queue.ListAsync(WorkState.Cancelled, 10, default));
        Assert.Equal((a.Id, "operator"), (cancelled.Id, cancelled.LastError));
    }

    [Fact]
    public async Task Cancelling_a_running_job_makes_its_worker_lose_the_lease()
    {
        await DrainAsync();
        var queue = new JobQueue(DataSource);
        var id = (await queue.EnqueueAsync(Job(), default)).Id;
        var lease = await queue.TryLeaseAsync("w", Lease, null, default);

        Assert.True(await queue.CancelAsync(id, "operator", default));

        Assert.False(await queue.RenewAsync(lease!, Lease, default));
        Assert.False(await queue.CompleteAsync(lease!, null, default));
        Assert.Equal(WorkState.Cancelled, (await queue.GetAsync(id, default))!.State);
    }

    [Fact]
    public async Task A_released_job_is_leased_again_without_using_up_an_attempt()
    {
        await DrainAsync();
        var queue = new JobQueue(DataSource);
        await queue.EnqueueAsync(Job(), default);
        var lease = await queue.TryLeaseAsync("stopping-worker", Lease, null, default);

        Assert.True(await queue.ReleaseAsync(lease!, default));

        Assert.Equal(1, (await queue.TryLeaseAsync("w", Lease, null, default))!.Attempt);
    }

    [Fact]
    public async Task A_worker_connection_killed_while_holding_a_job_row_loses_nothing()
    {
        await DrainAsync();
        var queue = new JobQueue(DataSource);
        var locked = (await queue.EnqueueAsync(Job(priority: 9), default)).Id;
        var other = (await queue.EnqueueAsync(Job(priority: 1), default)).Id;

        // A worker that crashed inside a transaction holding the highest-priority job's row lock.
        await using var crashed = await DataSource.OpenConnectionAsync();
        await using var tx = await crashed.BeginTransactionAsync();
        await using (var cmd = new NpgsqlCommand($"SELECT id FROM jobs WHERE id = {locked} FOR UPDATE", crashed, tx))
        {
            await cmd.ExecuteScalarAsync();
        }

        var pid = crashed.ProcessID;
        var meanwhile = await queue.TryLeaseAsync("w", Lease, null, default);
        Assert.Equal(other, meanwhile?.Id);

        // With a timeout, pg_terminate_backend waits until the backend is gone (and its locks released).
        Assert.Equal(true, await ScalarAsync($"SELECT pg_terminate_backend({pid}, 30000)"));
        var after = await queue.TryLeaseAsync("w", Lease, null, default);
        Assert.Equal(locked, after?.Id);
        Assert.Equal(1, after!.Attempt);
    }

    [Fact]
    public async Task An_idle_worker_is_woken_by_a_notification_when_a_job_is_queued()
    {
        var queue = new JobQueue(DataSource);
        await using var notifier = new WorkNotifier(DataSource, JobQueue.NotificationChannel);
        // Establish the LISTEN before enqueueing (the first wait opens the connection).
        Assert.False(await notifier.WaitAsync(TimeSpan.FromMilliseconds(10), default));

        var wait = notifier.WaitAsync(TimeSpan.FromSeconds(60), default);
        await queue.EnqueueAsync(Job(), default);

        Assert.True(await wait);
    }

    [Fact]
    public async Task A_notification_sent_while_the_worker_was_busy_is_not_lost()
    {
        var queue = new JobQueue(DataSource);
        await using var notifier = new WorkNotifier(DataSource, JobQueue.NotificationChannel);
        Assert.False(await notifier.WaitAsync(TimeSpan.FromMilliseconds(10), default));

        await queue.EnqueueAsync(Job(), default);

        Assert.True(await notifier.WaitAsync(TimeSpan.FromSeconds(60), default));
    }

    [Fact]
    public async Task Time_until_next_due_reports_the_earliest_retry()
    {
        await DrainAsync();
        var queue = new JobQueue(DataSource);
        Assert.Null(await queue.TimeUntilNextDueAsync(default));
        await queue.EnqueueAsync(new JobRequest { Kind = "segment", IdempotencyKey = "later-" + Guid.NewGuid(), Delay = TimeSpan.FromMinutes(10) }, default);

        var wait = await queue.TimeUntilNextDueAsync(default);

        Assert.InRange(wait!.Value.TotalMinutes, 9, 10);
    }

    /// <summary>A no-op worker with its own data source (own connections): leases until the queue is empty.</summary>
    private Task<int> RunWorkerAsync(string name, ConcurrentDictionary<long, int> runs) => RunWorkerAsync(ConnectionString, name, runs);

    internal static async Task<int> RunWorkerAsync(string connectionString, string name, ConcurrentDictionary<long, int> runs)
    {
        await using var ds = NpgsqlDataSource.Create(connectionString);
        var queue = new JobQueue(ds);
        var done = 0;
        while (await queue.TryLeaseAsync(name, Lease, null, default) is { } lease)
        {
            runs.AddOrUpdate(lease.Id, 1, (_, n) => n + 1);
            Assert.True(await queue.CompleteAsync(lease, null, default));
            done++;
        }

        return done;
    }
}
